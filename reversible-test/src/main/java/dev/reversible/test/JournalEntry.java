package dev.reversible.test;

import java.time.Instant;

/**
 * A saga as the durable journal ({@code reversible-jdbc}) holds it, read when a test asks: where it stands
 * after its in-memory rollback, and — for an incomplete one — where its persistent retries are.
 *
 * <pre>{@code
 * recorder.lastSaga().journalEntry();   // Optional[JournalEntry[status=STUCK, retries=0, ...]]
 * }</pre>
 *
 * @param status the journal's status: {@code RUNNING}, {@code COMPENSATING}, {@code COMPENSATED}, {@code STUCK},
 *     {@code RESOLVED}, {@code COMPLETED} or {@code FAILED}
 * @param retries the persistent compensation retries counted so far (the journal counts the failed rollback itself as
 *     the first: with {@code reversible.jdbc.retry.max-attempts=0} a {@code STUCK} saga shows 1)
 * @param nextRetryAt when the next persistent retry is due, or {@code null}
 * @param failedStep the step whose failure started the compensation, or {@code null}
 * @param lastError the failure that made it compensate or stick ({@code class: message}), or {@code null}
 */
public record JournalEntry(String status, int retries, Instant nextRetryAt, String failedStep, String lastError) {

    /** @return a one-line description, for failure messages */
    public String describe() {
        return status + " after " + retries + " persistent retr" + (retries == 1 ? "y" : "ies")
                + (nextRetryAt == null ? "" : ", the next due at " + nextRetryAt)
                + (lastError == null ? "" : ", last error " + lastError);
    }
}
