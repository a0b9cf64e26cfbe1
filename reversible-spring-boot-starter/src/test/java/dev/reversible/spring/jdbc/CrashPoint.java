package dev.reversible.spring.jdbc;

import java.util.List;

/**
 * Where {@link CrashingInstance} is killed in {@link CrashShop}'s saga (reserve → charge → ship), and which
 * compensations must then have run, in order, once each: the side effects the crash matrix expects in
 * {@link CrashShop#TABLE}, written by the child before it died ("by child") or by the recovering instance
 * ("by recovery").
 *
 * <p>A step's end is not committed on its own — it rides on the next step's start or the saga's end — so a
 * JVM killed after a step ended but before the next commit leaves that step in doubt, exactly as if it had
 * been killed while the step ran: its handler sees no result and {@link StepOutcomeUnknownException}.
 */
enum CrashPoint {

    /** The saga's body runs, no step has started: nothing is in the journal, nothing is compensated. */
    BEFORE_FIRST_STEP(false),

    /** Reserve's start is committed, its forwards runs. */
    RESERVE_STARTED(false, unknown("reserve", 0)),

    /** Reserve returned; its end is buffered, charge has not started. */
    RESERVE_ENDED(false, unknown("reserve", 0)),

    /** Charge's start (with reserve's end) is committed, its forwards runs. */
    CHARGE_STARTED(false, unknown("charge", 1), reserved()),

    /** Charge returned; its end is buffered, ship has not started. */
    CHARGE_ENDED(false, unknown("charge", 1), reserved()),

    /** Ship's start (with charge's end) is committed, its forwards runs. */
    SHIP_STARTED(false, unknown("ship", 2), charged(), reserved()),

    /** Ship returned, the body is about to return; the saga's end is not written. */
    SHIP_ENDED(false, unknown("ship", 2), charged(), reserved()),

    /** Ship failed; its own compensation (rule 6) runs. Its failure is buffered, not committed: in doubt. */
    SHIP_COMPENSATING(true, unknown("ship", 2), charged(), reserved()),

    /** Ship failed and was compensated (committed); charge's compensation runs. */
    CHARGE_COMPENSATING(true, "ship #2 result=null failure=IllegalStateException by child", charged(), reserved());

    private final boolean shipFails;
    private final List<String> compensations;

    CrashPoint(boolean shipFails, String... compensations) {
        this.shipFails = shipFails;
        this.compensations = List.of(compensations);
    }

    /** @return whether ship fails in the child, so that the saga is compensating when it is killed */
    boolean shipFails() {
        return shipFails;
    }

    /** @return the side effects expected once recovery is done, in the order they ran */
    List<String> compensations() {
        return compensations;
    }

    /** @return whether the child journaled a step before it died */
    boolean journaledAStep() {
        return this != BEFORE_FIRST_STEP;
    }

    private static String unknown(String action, int index) {
        return action + " #" + index + " result=null failure=StepOutcomeUnknownException by recovery";
    }

    private static String charged() {
        return "charge #1 result=C-alice failure=null by recovery";
    }

    private static String reserved() {
        return "reserve #0 result=R-sku-7-2 failure=null by recovery";
    }
}
