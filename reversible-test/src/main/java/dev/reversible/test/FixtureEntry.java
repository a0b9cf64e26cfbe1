package dev.reversible.test;

import java.util.Objects;

/**
 * One entry of a {@link JournalFixture}: a recorded example of one action, as the durable journal writes a step
 * of it — the bean's name, the action's name, its arguments as a JSON array and its result as JSON, written by the
 * journal's own JSON mapping.
 *
 * <pre>{@code
 * new FixtureEntry("payments", "charge", "[\"alice\",12.50]", "12.50")
 * }</pre>
 *
 * @param bean the name of the bean the step ran on
 * @param action the action's name ({@code @ReversibleAction("name")}, or the method name)
 * @param arguments the arguments, a JSON array, as the journal writes them
 * @param result the result as JSON, as the journal writes it, or {@code null} (the action returned nothing)
 */
public record FixtureEntry(String bean, String action, String arguments, String result) {

    /** Checks that the bean, the action and the arguments are present. */
    public FixtureEntry {
        Objects.requireNonNull(bean, "bean must not be null");
        Objects.requireNonNull(action, "action must not be null");
        Objects.requireNonNull(arguments, "arguments must not be null");
    }
}
