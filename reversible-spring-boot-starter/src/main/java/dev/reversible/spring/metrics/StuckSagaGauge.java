package dev.reversible.spring.metrics;

import java.util.Objects;

import dev.reversible.spring.jdbc.StuckSagaCount;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The gauge {@value #NAME}: how many sagas are {@code STUCK} in the journal, waiting for an operator. Read
 * through {@link StuckSagaCount}'s short cache, so a scrape costs the database at most two small queries per
 * {@code reversible.jdbc.heartbeat-interval}, whatever the number of registries and scrapers. It has no base unit,
 * so Prometheus names it {@code reversible_saga_stuck}, as the Grafana dashboard queries it.
 */
public final class StuckSagaGauge implements MeterBinder {

    /** The gauge's name. */
    public static final String NAME = "reversible.saga.stuck";

    private final StuckSagaCount stuckSagas;

    /** @param stuckSagas the stuck sagas, read through a short cache */
    public StuckSagaGauge(StuckSagaCount stuckSagas) {
        this.stuckSagas = Objects.requireNonNull(stuckSagas, "stuckSagas");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder(NAME, stuckSagas, count -> count.current().stuck())
                .description("Sagas whose compensation failed after all its retries, waiting for an operator")
                .strongReference(true)
                .register(registry);
    }
}
