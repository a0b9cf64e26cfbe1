package dev.reversible.test;

/**
 * Entry point of the kit's AssertJ assertions.
 *
 * <pre>{@code
 * SagaAssertions.assertThat(recorder.lastSaga())
 *         .wasCompensated()
 *         .failedAt("bookShipment")
 *         .compensatedInOrder("bookShipment", "chargeAccount", "reserveStock")
 *         .hasNothingPending()
 *         .compensationOf("chargeAccount").tookAttempts(2);
 * }</pre>
 */
public final class SagaAssertions {

    private SagaAssertions() {
    }

    /**
     * @param saga a recorded saga, usually {@link SagaRecorder#lastSaga()}
     * @return assertions on it
     */
    public static RecordedSagaAssert assertThat(RecordedSaga saga) {
        return new RecordedSagaAssert(saga);
    }

    /**
     * @param compensation a recorded compensation
     * @return assertions on it
     */
    public static RecordedCompensationAssert assertThat(RecordedCompensation compensation) {
        return new RecordedCompensationAssert(compensation);
    }
}
