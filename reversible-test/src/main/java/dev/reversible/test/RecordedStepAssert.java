package dev.reversible.test;

import java.util.Arrays;
import java.util.List;

import org.assertj.core.api.AbstractAssert;

/**
 * AssertJ assertions on a step's place in its saga (rule 14): which step's {@code forwards} started it, and
 * which steps its own {@code forwards} started. Each failure names the saga, the step, and its real parent or
 * children.
 *
 * <pre>{@code
 * SagaAssertions.assertThat(recorder.lastSaga())
 *         .step("chargeAccount").hasParent("placeOrder")
 *         .step("placeOrder").hasChildren("chargeAccount", "bookShipment");
 * }</pre>
 */
public final class RecordedStepAssert extends AbstractAssert<RecordedStepAssert, RecordedStep> {

    private final RecordedSaga saga;

    RecordedStepAssert(RecordedSaga saga, RecordedStep step) {
        super(step, RecordedStepAssert.class);
        this.saga = saga;
    }

    /**
     * Verifies that the step was started by the {@code forwards} of the one step of that name.
     * @param parent the parent step's name
     */
    public RecordedStepAssert hasParent(String parent) {
        isNotNull();
        RecordedStep found = saga.parentOf(actual).orElse(null);
        if (found == null || !found.name().equals(parent)) {
            failWithMessage("%nExpecting step %s of saga %s to have parent '%s'%nbut %s", actual.describe(), saga.describe(), parent,
                    found == null ? "it is top-level: no step's forwards started it" : "its parent is " + found.describe());
        }
        return this;
    }

    /** Verifies that no step's {@code forwards} started the step: the saga's body (or a nested saga's) did. */
    public RecordedStepAssert isTopLevel() {
        isNotNull();
        if (!actual.isTopLevel()) {
            failWithMessage("%nExpecting step %s of saga %s to be top-level%nbut its parent is %s", actual.describe(), saga.describe(),
                    saga.parentOf(actual).map(RecordedStep::describe).orElse("step " + actual.parentIndex()));
        }
        return this;
    }

    /**
     * Verifies the steps the step's {@code forwards} started, exactly and in the order they started.
     * @param children the expected children's names; none for a step without children
     */
    public RecordedStepAssert hasChildren(String... children) {
        isNotNull();
        List<String> found = saga.childrenOf(actual).stream().map(RecordedStep::name).toList();
        if (!found.equals(Arrays.asList(children))) {
            failWithMessage("%nExpecting step %s of saga %s to have children, in order of start,:%n  %s%nbut had:%n  %s", actual.describe(),
                    saga.describe(), Arrays.asList(children), found);
        }
        return this;
    }

    /**
     * Moves on to another step of the same saga.
     * @param step the step's name
     * @return assertions on that step
     */
    public RecordedStepAssert step(String step) {
        return new RecordedSagaAssert(saga).step(step);
    }

    /** @return assertions on the whole saga again */
    public RecordedSagaAssert saga() {
        return new RecordedSagaAssert(saga);
    }
}
