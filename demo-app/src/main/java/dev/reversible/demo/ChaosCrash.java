package dev.reversible.demo;

import dev.reversible.core.SagaInfo;
import dev.reversible.core.SagaListener;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * {@code demo.chaos.crash-after=<action>}: halts the JVM right after that step completes — its work
 * committed (a step whose record is written in its transaction, {@code StepRecord.IN_TRANSACTION}, with its end
 * recorded; a write-ahead one, {@code bookShipment}, with its end not yet journaled: it rides on the next journal
 * write), the next step not started. {@link Runtime#halt} runs no shutdown hook: the instance does not mark itself gone, its
 * heartbeat just stops, exactly as after {@code kill -9}. After a restart, once that heartbeat is older than
 * {@code reversible.jdbc.instance-timeout}, the journal's recovery compensates the saga.
 *
 * <pre>{@code
 * ./mvnw -pl demo-app -am spring-boot:run -Dspring-boot.run.arguments=--demo.chaos.crash-after=chargeAccount
 * }</pre>
 */
@Component
class ChaosCrash implements SagaListener {

    /** The exit status a shell shows for a process killed by SIGKILL (128 + 9). */
    static final int KILLED = 137;

    private static final Logger LOG = LoggerFactory.getLogger(ChaosCrash.class);

    private final ChaosProperties chaos;

    ChaosCrash(ChaosProperties chaos) {
        this.chaos = chaos;
    }

    /** Only which step completed matters here. */
    @Override
    public boolean ignoresStepDurations() {
        return true;
    }

    @Override
    public void stepCompleted(SagaInfo saga, String step, long nanos) {
        if (!chaos.crashesAfter(step)) {
            return;
        }
        Runnable halt = () -> {
            LOG.error("demo.chaos.crash-after={}: halting the JVM now, in saga {} ({}), as kill -9 would", step, saga.name(), saga.id());
            Runtime.getRuntime().halt(KILLED);
        };
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            // A step whose record is in its transaction completes inside it: "after the step" is after its commit.
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    halt.run();
                }
            });
        } else {
            halt.run();
        }
    }
}
