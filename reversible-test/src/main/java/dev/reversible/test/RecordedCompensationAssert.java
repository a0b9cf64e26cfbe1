package dev.reversible.test;

import org.assertj.core.api.AbstractAssert;

/**
 * AssertJ assertions on a {@link RecordedCompensation}.
 *
 * <pre>{@code
 * SagaAssertions.assertThat(recorder.lastSaga()).compensationOf("chargeAccount").succeeded().tookAttempts(2);
 * }</pre>
 */
public final class RecordedCompensationAssert extends AbstractAssert<RecordedCompensationAssert, RecordedCompensation> {

    RecordedCompensationAssert(RecordedCompensation actual) {
        super(actual, RecordedCompensationAssert.class);
    }

    /**
     * Verifies how many attempts the compensation took.
     * @param attempts the expected number, 1 for the first attempt alone
     */
    public RecordedCompensationAssert tookAttempts(int attempts) {
        isNotNull();
        if (actual.attempts() != attempts) {
            failWithMessage("%nExpecting the compensation of '%s' to have taken %d attempt(s)%nbut it took %d: %s", actual.step(), attempts,
                    actual.attempts(), describe(actual));
        }
        return this;
    }

    /** Verifies that an attempt of the compensation succeeded. */
    public RecordedCompensationAssert succeeded() {
        return hasOutcome(RecordedCompensation.Outcome.SUCCEEDED);
    }

    /** Verifies that every attempt of the compensation failed. */
    public RecordedCompensationAssert failed() {
        return hasOutcome(RecordedCompensation.Outcome.FAILED);
    }

    /**
     * Verifies that every attempt failed, the last with a failure of this type.
     * @param type the expected type (or a supertype)
     */
    public RecordedCompensationAssert failedWith(Class<? extends Throwable> type) {
        failed();
        if (!type.isInstance(actual.failure())) {
            failWithMessage("%nExpecting the compensation of '%s' to have failed with %s%nbut it failed with %s", actual.step(), type.getName(),
                    actual.failure());
        }
        return this;
    }

    private RecordedCompensationAssert hasOutcome(RecordedCompensation.Outcome expected) {
        isNotNull();
        if (actual.outcome() != expected) {
            failWithMessage("%nExpecting the compensation of '%s' to have %s%nbut it was: %s", actual.step(), expected, describe(actual));
        }
        return this;
    }

    static String describe(RecordedCompensation compensation) {
        return compensation.step() + " " + compensation.outcome() + " after " + compensation.attempts() + " attempt(s)"
                + (compensation.failure() == null ? "" : " with " + compensation.failure());
    }
}
