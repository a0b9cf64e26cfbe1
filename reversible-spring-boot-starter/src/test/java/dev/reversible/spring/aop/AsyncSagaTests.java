package dev.reversible.spring.aop;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.reversible.core.SagaContext;
import dev.reversible.spring.CompensationContext;
import dev.reversible.spring.annotation.Compensate;
import dev.reversible.spring.annotation.ReversibleAction;
import dev.reversible.spring.annotation.ReversibleSaga;
import dev.reversible.spring.metadata.ReversibleConfigurationException;
import dev.reversible.spring.statistics.SagaStatistics;
import io.micrometer.context.ContextSnapshotFactory;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.support.ContextPropagatingTaskDecorator;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * Asynchronous actions and sagas (methods returning a {@code CompletionStage}) in real application
 * contexts: a step completes when its future does, a saga ends only after every step it started, callbacks
 * chained on a step's future stay in the saga, and the saga travels to pool threads with its context.
 */
class AsyncSagaTests {

    private final ApplicationContextRunner runner = SagaContexts.runner().withUserConfiguration(Config.class);
    private final ExecutorService caller = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopCaller() {
        caller.shutdownNow();
    }

    @Test
    void asynchronousStepInASynchronousSagaCompletesWithItsFutureAndIsCompensatedWithItsValue() {
        runner.run(context -> {
            Log log = context.getBean(Log.class);
            context.getBean(Script.class).fail("book", "o1");

            Throwable thrown = catchThrowable(() -> context.getBean(Orders.class).placeSync("o1"));

            assertThat(thrown).isInstanceOf(IllegalStateException.class).hasMessage("book failed for o1");
            assertThat(log.of("o1")).containsExactly("reserve o1", "book o1", "unbook o1", "release o1 R-o1", "released o1");
        });
    }

    @Test
    void asynchronousStepWhoseFutureFailsIsCompensatedItselfBeforeTheFutureTheCallerSeesFails() {
        runner.run(context -> {
            Log log = context.getBean(Log.class);
            context.getBean(Script.class).fail("reserve", "o2");

            Throwable thrown = catchThrowable(() -> context.getBean(Orders.class).placeSync("o2"));

            // The body's join() wraps the step's failure, as join() does; the step itself failed with the original.
            assertThat(thrown).isInstanceOf(CompletionException.class).cause().hasMessage("reserve failed for o2");
            assertThat(log.of("o2")).containsExactly("reserve o2", "release o2 null", "released o2");
            assertThat(context.getBean(Handlers.class).failures.get("o2")).hasMessage("reserve failed for o2");
        });
    }

    @Test
    void asynchronousSagaWhoseThirdStepFailsCompletesExceptionallyWithTheOriginalAfterEveryCompensation() {
        runner.run(context -> {
            Log log = context.getBean(Log.class);
            context.getBean(Script.class).fail("ship", "o3");

            CompletableFuture<String> saga = context.getBean(Orders.class).placeAsync("o3");
            Throwable thrown = catchThrowable(() -> saga.get(10, TimeUnit.SECONDS));

            assertThat(thrown).isInstanceOf(ExecutionException.class).cause().isInstanceOf(IllegalStateException.class)
                    .hasMessage("ship failed for o3");
            assertThat(log.of("o3")).containsExactly("reserve o3", "charge o3 R-o3", "ship o3", "unship o3", "refund o3 C-o3",
                    "release o3 R-o3", "released o3");
            assertThat(context.getBean(SagaStatistics.class).findSaga("Orders.placeAsync").compensated()).isEqualTo(1);
            // ship returned a future that had failed already: its handler gets that failure itself, unwrapped.
            assertThat(context.getBean(Handlers.class).failures.get("o3")).isInstanceOf(IllegalStateException.class)
                    .hasMessage("ship failed for o3");
        });
    }

    @Test
    void asynchronousSagaLeavesNoLoggingContextNorObservationScopeOnTheCallersThread() {
        runner.run(context -> {
            context.getBean(Script.class).fail("ship", "o9");
            ObservationRegistry observations = context.getBean(ObservationRegistry.class);

            catchThrowable(() -> context.getBean(Orders.class).placeAsync("o9").get(10, TimeUnit.SECONDS));
            // The saga ended on pool threads: this thread gave back what it bound when the saga left it.
            assertThat(MDC.get("sagaId")).isNull();
            assertThat(MDC.get("sagaName")).isNull();
            assertThat(observations.getCurrentObservation()).isNull();
            assertThat(context.getBean(Log.class).of("o9")).contains("release o9 R-o9");
        });
    }

    @Test
    void asynchronousSagaSucceedingCompletesWithItsBodysValue() throws Exception {
        runner.run(context -> {
            assertThat(context.getBean(Orders.class).placeAsync("o4").get(10, TimeUnit.SECONDS)).isEqualTo("shipped o4");
            assertThat(context.getBean(Log.class).of("o4")).containsExactly("reserve o4", "charge o4 R-o4", "ship o4");
            assertThat(context.getBean(SagaStatistics.class).findSaga("Orders.placeAsync").completed()).isEqualTo(1);
        });
    }

    @Test
    void synchronousSagaThatDidNotWaitForAStepWaitsForItThenRollsBackWhenItFails() throws Exception {
        runner.run(context -> {
            Log log = context.getBean(Log.class);
            CompletableFuture<Void> gate = context.getBean(Script.class).gate("o5");
            Future<String> saga = caller.submit(() -> context.getBean(Orders.class).placeWithoutWaiting("o5"));

            await().atMost(10, TimeUnit.SECONDS).until(() -> log.of("o5").contains("reserve o5"));
            assertThat(saga.isDone()).isFalse();
            IllegalStateException late = new IllegalStateException("stock vanished");
            gate.completeExceptionally(late);

            Throwable thrown = catchThrowable(() -> saga.get(10, TimeUnit.SECONDS));
            assertThat(thrown).isInstanceOf(ExecutionException.class).cause().isSameAs(late);
            assertThat(log.of("o5")).containsExactly("note o5", "reserve o5", "release o5 null", "released o5", "unnote o5");
        });
    }

    @Test
    void callbackChainedOnAStepsFutureStartsAStepOfTheSameSagaWithoutAnyExecutorSetUp() {
        runner.run(context -> {
            Log log = context.getBean(Log.class);
            context.getBean(Script.class).fail("book", "o6");

            Throwable thrown = catchThrowable(() -> context.getBean(Orders.class).placeChained("o6"));

            assertThat(thrown).isInstanceOf(IllegalStateException.class).hasMessage("book failed for o6");
            // charge ran in a callback on the pool thread that completed reserve: still a step of this saga.
            assertThat(log.of("o6")).containsExactly("reserve o6", "charge o6 R-o6", "book o6", "unbook o6", "refund o6 C-o6",
                    "release o6 R-o6", "released o6");
            assertThat(context.getBean(SagaStatistics.class).findSaga("charge")).isNull();
        });
    }

    @Test
    void asyncActionOnADecoratedExecutorJoinsTheSagaAndItsOwnStepsAreItsChildren() {
        runner.run(context -> {
            Log log = context.getBean(Log.class);
            context.getBean(Script.class).fail("book", "o7");

            Throwable thrown = catchThrowable(() -> context.getBean(Orders.class).placeWithAsyncCarrier("o7"));

            assertThat(thrown).isInstanceOf(IllegalStateException.class).hasMessage("book failed for o7");
            assertThat(log.of("o7")).containsExactly("carry o7", "label o7", "book o7", "unbook o7", "unlabel o7", "uncarry o7");
            assertThat(context.getBean(Handlers.class).indexes.get("o7")).containsExactly(Map.entry("unlabel", 1), Map.entry("uncarry", 0));
            assertThat(context.getBean(Log.class).threads.get("carry o7")).startsWith("carrier-");
        });
    }

    @Test
    void stepStartedInACapturedContextAfterItsSagaEndedIsRefusedNamingTheSaga() {
        runner.run(context -> {
            Log log = context.getBean(Log.class);
            AtomicReference<Runnable> captured = new AtomicReference<>();
            Shipping shipping = context.getBean(Shipping.class);
            Runnable late = () -> shipping.book("o8-late");
            context.getBean(Orders.class).capture("o8", () -> captured.set(ContextSnapshotFactory.builder().build().captureAll().wrap(late)));

            Throwable thrown = catchThrowable(() -> caller.submit(captured.get()).get(10, TimeUnit.SECONDS));

            assertThat(thrown).isInstanceOf(ExecutionException.class).cause().isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Orders.capture").hasMessageContaining("ended");
            assertThat(log.of("o8-late")).isEmpty();
        });
    }

    @Test
    void reactiveReturnTypeIsRefusedAtStartUpNamingTheBeanAndTheMethod() {
        SagaContexts.runner().withBean("reactiveInventory", ReactiveInventory.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(ReversibleConfigurationException.class)
                    .hasMessageContaining("reactiveInventory").hasMessageContaining("reserve")
                    .hasMessageContaining("reactive types are not supported yet");
        });
    }

    @Test
    void concurrentAsynchronousSagasEachCompensateExactlyTheirOwnSteps() {
        runner.run(context -> {
            Log log = context.getBean(Log.class);
            Script script = context.getBean(Script.class);
            Orders orders = context.getBean(Orders.class);
            int threads = 8;
            int perThread = 200;
            Map<String, String> failing = new ConcurrentHashMap<>();
            for (int t = 0; t < threads; t++) {
                for (int i = 0; i < perThread; i++) {
                    String order = "c" + t + "-" + i;
                    int pick = ThreadLocalRandom.current().nextInt(4);
                    if (pick > 0) {
                        String step = List.of("reserve", "charge", "ship").get(pick - 1);
                        script.fail(step, order);
                        failing.put(order, step);
                    }
                }
            }
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            try {
                List<Future<?>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    results.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < perThread; i++) {
                            String order = "c" + thread + "-" + i;
                            catchThrowable(() -> orders.placeAsync(order).get(30, TimeUnit.SECONDS));
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> result : results) {
                    result.get(120, TimeUnit.SECONDS);
                }
                for (int t = 0; t < threads; t++) {
                    for (int i = 0; i < perThread; i++) {
                        String order = "c" + t + "-" + i;
                        assertThat(log.of(order)).as(order).isEqualTo(expected(order, failing.get(order)));
                    }
                }
                List<String> leaked = new CopyOnWriteArrayList<>();
                List<Future<?>> probes = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    probes.add(pool.submit(() -> {
                        if (SagaContext.current() != null) {
                            leaked.add(Thread.currentThread().getName());
                        }
                    }));
                }
                for (Future<?> probe : probes) {
                    probe.get(10, TimeUnit.SECONDS);
                }
                assertThat(leaked).isEmpty();
                assertThat(context.getBean(SagaStatistics.class).totals().active()).isZero();
                assertThat(context.getBean(SagaStatistics.class).findSaga("Orders.placeAsync").compensated()).isEqualTo(failing.size());
            } finally {
                pool.shutdownNow();
            }
        });
    }

    private static List<String> expected(String order, String failingStep) {
        List<String> calls = new ArrayList<>(List.of("reserve " + order));
        if ("reserve".equals(failingStep)) {
            return List.of("reserve " + order, "release " + order + " null", "released " + order);
        }
        calls.add("charge " + order + " R-" + order);
        if ("charge".equals(failingStep)) {
            calls.addAll(List.of("refund " + order + " null", "release " + order + " R-" + order, "released " + order));
            return calls;
        }
        calls.add("ship " + order);
        if ("ship".equals(failingStep)) {
            calls.addAll(List.of("unship " + order, "refund " + order + " C-" + order, "release " + order + " R-" + order, "released " + order));
        }
        return calls;
    }

    /** What happened to each order, in order, and on which thread each forwards call ran. */
    static class Log {

        final Map<String, List<String>> calls = new ConcurrentHashMap<>();
        final Map<String, String> threads = new ConcurrentHashMap<>();

        void add(String order, String call) {
            calls.computeIfAbsent(order, o -> new CopyOnWriteArrayList<>()).add(call);
            threads.put(call, Thread.currentThread().getName());
        }

        List<String> of(String order) {
            return calls.getOrDefault(order, List.of());
        }
    }

    /** Which step fails for which order, and futures a test completes itself. */
    static class Script {

        private final Set<String> failures = ConcurrentHashMap.newKeySet();
        private final Map<String, CompletableFuture<Void>> gates = new ConcurrentHashMap<>();

        void fail(String step, String order) {
            failures.add(step + ":" + order);
        }

        void check(String step, String order) {
            if (failures.contains(step + ":" + order)) {
                throw new IllegalStateException(step + " failed for " + order);
            }
        }

        CompletableFuture<Void> gate(String order) {
            return gates.computeIfAbsent(order, o -> new CompletableFuture<>());
        }

        CompletableFuture<Void> gateIfAny(String order) {
            return gates.getOrDefault(order, CompletableFuture.completedFuture(null));
        }
    }

    /** What compensation handlers saw. */
    static class Handlers {

        final Map<String, Throwable> failures = new ConcurrentHashMap<>();
        final Map<String, List<Map.Entry<String, Integer>>> indexes = new ConcurrentHashMap<>();

        void saw(String order, String handler, CompensationContext context) {
            if (context.failure() != null) {
                failures.put(order, context.failure());
            }
            indexes.computeIfAbsent(order, o -> new CopyOnWriteArrayList<>()).add(Map.entry(handler, context.stepIndex()));
        }
    }

    static class Inventory {

        private final Log log;
        private final Script script;
        private final Handlers handlers;
        private final ExecutorService pool;

        Inventory(Log log, Script script, Handlers handlers, ExecutorService pool) {
            this.log = log;
            this.script = script;
            this.handlers = handlers;
            this.pool = pool;
        }

        @ReversibleAction
        public CompletableFuture<String> reserve(String order) {
            log.add(order, "reserve " + order);
            return script.gateIfAny(order).thenApplyAsync(ignored -> {
                script.check("reserve", order);
                return "R-" + order;
            }, pool);
        }

        /** Receives the future's value; returns a stage the compensation finishes with. */
        @Compensate("reserve")
        public CompletableFuture<Void> release(String order, String reservation, CompensationContext context) {
            handlers.saw(order, "release", context);
            log.add(order, "release " + order + " " + reservation);
            return CompletableFuture.runAsync(() -> log.add(order, "released " + order), pool);
        }
    }

    static class Payments {

        private final Log log;
        private final Script script;
        private final ExecutorService pool;

        Payments(Log log, Script script, ExecutorService pool) {
            this.log = log;
            this.script = script;
            this.pool = pool;
        }

        @ReversibleAction
        public CompletableFuture<String> charge(String order, String reservation) {
            log.add(order, "charge " + order + " " + reservation);
            return CompletableFuture.supplyAsync(() -> {
                script.check("charge", order);
                return "C-" + order;
            }, pool);
        }

        @Compensate("charge")
        public void refund(String order, String reservation, String payment) {
            log.add(order, "refund " + order + " " + payment);
        }
    }

    static class Shipping {

        private final Log log;
        private final Script script;
        private final Handlers handlers;

        Shipping(Log log, Script script, Handlers handlers) {
            this.log = log;
            this.script = script;
            this.handlers = handlers;
        }

        @ReversibleAction
        public String book(String order) {
            log.add(order, "book " + order);
            script.check("book", order);
            return "B-" + order;
        }

        @Compensate("book")
        public void unbook(String order) {
            log.add(order, "unbook " + order);
        }

        @ReversibleAction
        public CompletionStage<String> ship(String order) {
            log.add(order, "ship " + order);
            try {
                script.check("ship", order);
                return CompletableFuture.completedFuture("shipped " + order);
            } catch (IllegalStateException e) {
                return CompletableFuture.failedFuture(e);
            }
        }

        @ReversibleAction
        public void note(String order) {
            log.add(order, "note " + order);
        }

        @Compensate("note")
        public void unnote(String order) {
            log.add(order, "unnote " + order);
        }

        /** Receives the failure of the future {@code ship} returned already failed, and no result. */
        @Compensate("ship")
        public void unship(String order, String shipped, CompensationContext context) {
            log.add(order, "unship " + order + (shipped == null ? "" : " " + shipped));
            if (context.failure() != null) {
                handlers.failures.put(order, context.failure());
            }
        }

        @ReversibleAction
        public void label(String order) {
            log.add(order, "label " + order);
        }

        @Compensate("label")
        public void unlabel(String order, CompensationContext context) {
            handlers.saw(order, "unlabel", context);
            log.add(order, "unlabel " + order);
        }
    }

    /** An action run by Spring's {@code @Async} on a pool whose tasks carry the saga's context. */
    static class Carrier {

        private final Log log;
        private final Shipping shipping;
        private final Handlers handlers;

        Carrier(Log log, Shipping shipping, Handlers handlers) {
            this.log = log;
            this.shipping = shipping;
            this.handlers = handlers;
        }

        @Async
        @ReversibleAction
        public CompletableFuture<String> carry(String order) {
            log.add(order, "carry " + order);
            shipping.label(order);   // on the pool thread: a child of this step, through the propagated context
            return CompletableFuture.completedFuture("carried " + order);
        }

        @Compensate("carry")
        public void uncarry(String order, CompensationContext context) {
            handlers.saw(order, "uncarry", context);
            log.add(order, "uncarry " + order);
        }
    }

    static class Orders {

        private final Inventory inventory;
        private final Payments payments;
        private final Shipping shipping;
        private final Carrier carrier;
        private final Log log;

        Orders(Inventory inventory, Payments payments, Shipping shipping, Carrier carrier, Log log) {
            this.inventory = inventory;
            this.payments = payments;
            this.shipping = shipping;
            this.carrier = carrier;
            this.log = log;
        }

        @ReversibleSaga
        public String placeSync(String order) {
            String reservation = inventory.reserve(order).join();
            return shipping.book(order) + " " + reservation;
        }

        @ReversibleSaga
        public CompletableFuture<String> placeAsync(String order) {
            return inventory.reserve(order)
                    .thenCompose(reservation -> payments.charge(order, reservation))
                    .thenCompose(payment -> shipping.ship(order))
                    .toCompletableFuture();
        }

        @ReversibleSaga
        public String placeWithoutWaiting(String order) {
            shipping.note(order);
            inventory.reserve(order);   // not awaited: the saga waits for it before it ends
            return "returned";
        }

        @ReversibleSaga
        public String placeChained(String order) {
            inventory.reserve(order).thenCompose(reservation -> payments.charge(order, reservation)).join();
            return shipping.book(order);
        }

        @ReversibleSaga
        public String placeWithAsyncCarrier(String order) {
            carrier.carry(order).join();
            return shipping.book(order);
        }

        @ReversibleSaga
        public void capture(String order, Runnable capture) {
            capture.run();
        }
    }

    /** Refused at start-up: reactive types are not supported yet. */
    static class ReactiveInventory {

        @ReversibleAction
        public Flow.Publisher<String> reserve(String order) {
            return subscriber -> { };
        }

        @Compensate("reserve")
        public void release(String order) {
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAsync
    static class Config {

        @Bean
        Log log() {
            return new Log();
        }

        @Bean
        Script script() {
            return new Script();
        }

        @Bean
        Handlers handlers() {
            return new Handlers();
        }

        @Bean(destroyMethod = "shutdownNow")
        ExecutorService stepPool() {
            return Executors.newFixedThreadPool(4);
        }

        @Bean
        ThreadPoolTaskExecutor taskExecutor() {
            ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
            executor.setThreadNamePrefix("carrier-");
            executor.setCorePoolSize(2);
            executor.setTaskDecorator(new ContextPropagatingTaskDecorator());
            return executor;
        }

        @Bean
        Inventory inventory(Log log, Script script, Handlers handlers, ExecutorService stepPool) {
            return new Inventory(log, script, handlers, stepPool);
        }

        @Bean
        Payments payments(Log log, Script script, ExecutorService stepPool) {
            return new Payments(log, script, stepPool);
        }

        @Bean
        Shipping shipping(Log log, Script script, Handlers handlers) {
            return new Shipping(log, script, handlers);
        }

        @Bean
        Carrier carrier(Log log, Shipping shipping, Handlers handlers) {
            return new Carrier(log, shipping, handlers);
        }

        @Bean
        Orders orders(Inventory inventory, Payments payments, Shipping shipping, Carrier carrier, Log log) {
            return new Orders(inventory, payments, shipping, carrier, log);
        }
    }
}
