package dev.reversible.spring.aot;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * The starter's own run-time needs that no bean definition shows: the class path resources it reads — the
 * journal's schema and upgrade scripts ({@code dev/reversible/jdbc/*.sql}, read by {@code JournalSchema}) and
 * the saga console's page, script and style ({@code dev/reversible/spring/console/*}, read by
 * {@code ConsolePage}).
 *
 * <pre>{@code
 * RuntimeHints hints = new RuntimeHints();
 * new ReversibleRuntimeHints().registerHints(hints, getClass().getClassLoader());
 * RuntimeHintsPredicates.resource().forResource("dev/reversible/jdbc/schema-h2.sql").test(hints);   // true
 * }</pre>
 */
public class ReversibleRuntimeHints implements RuntimeHintsRegistrar {

    @Override
    public void registerHints(RuntimeHints hints, ClassLoader classLoader) {
        hints.resources().registerPattern("dev/reversible/jdbc/*.sql");
        hints.resources().registerPattern("dev/reversible/spring/console/*");
    }
}
