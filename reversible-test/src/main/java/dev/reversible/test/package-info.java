/**
 * The test kit: record every saga an application runs ({@link dev.reversible.test.SagaRecorder}), make a
 * chosen action or compensation fail by name ({@link dev.reversible.test.FailureInjector}), assert what was
 * compensated and in which order ({@link dev.reversible.test.SagaAssertions}), and fail each step of a saga
 * in turn, checking that every rollback restores the application's state
 * ({@link dev.reversible.test.SagaVerifier}) — waiting for asynchronous sagas and for sagas that end on
 * another thread. Steps are recorded with their parents (rule 14); with the durable journal, a recorded
 * saga reads its status there ({@link dev.reversible.test.RecordedSagaAssert#isStuck()}). Across releases, the kit
 * records a journal fixture — one example per action, as the journal writes it ({@link dev.reversible.test.JournalFixture})
 * — that the user commits, and checks in every later build that each entry is still compensable by the current code
 * ({@link dev.reversible.test.JournalFixtureCheck}).
 *
 * <pre>{@code
 * @SpringBootTest
 * @AutoConfigureReversibleTest
 * class OrderSagaTests {
 *     @Autowired SagaVerifier verifier;
 *     @Autowired OrderService orders;
 *
 *     @Test
 *     void everyStepIsUndone() {
 *         verifier.forEachStep(() -> orders.placeOrder(order), () -> shop.state());
 *     }
 * }
 * }</pre>
 */
package dev.reversible.test;
