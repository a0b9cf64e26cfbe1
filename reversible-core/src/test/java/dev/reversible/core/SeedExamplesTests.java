package dev.reversible.core;

import static dev.reversible.core.Failures.failureOf;
import static dev.reversible.core.Failures.thrownBy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The examples of the seed library's API reference, ported one for one. Where our rules differ from
 * the seed on purpose (rule 6: a failed step is compensated even when the body catches its exception;
 * rule 3: a failing compensation loses nothing), the test says so.
 */
class SeedExamplesTests {

    /** A store of records with ids, logging every change so a test can compare what happened. */
    static final class Store {
        private final Map<Long, Object> records = new LinkedHashMap<>();
        private final List<String> log = new ArrayList<>();
        private long nextId = 100;
        private RuntimeException failNextPut;

        synchronized long put(Object record) {
            if (failNextPut != null) {
                RuntimeException failure = failNextPut;
                failNextPut = null;
                log.add("put failed");
                throw failure;
            }
            long id = nextId++;
            records.put(id, record);
            log.add("put " + id);
            return id;
        }

        synchronized void delete(long id) {
            records.remove(id);
            log.add("delete " + id);
        }

        synchronized void failNextPut(RuntimeException failure) {
            this.failNextPut = failure;
        }

        synchronized Map<Long, Object> records() {
            return Map.copyOf(records);
        }

        synchronized List<String> log() {
            return List.copyOf(log);
        }
    }

    // ---- reversible.action: create_order / delete_order ---------------------------------------------

    @Nested
    class CreateOrderWithAContextMap {

        private final Store orderStore = new Store();

        /** {@code @reversible.action def create_order(context, order_details)} with its {@code delete_order} backwards. */
        ContextAction<Map<String, Object>, Long> createOrder(String orderDetails) {
            return Reversible.<Long>action(
                    context -> {
                        long orderId = orderStore.put(orderDetails);
                        context.put("order_id", orderId);
                        return orderId;
                    },
                    context -> {
                        if (context.containsKey("order_id")) {   // order_id will be absent if create_order failed
                            orderStore.delete((Long) context.get("order_id"));
                        }
                    })
                    .named("createOrder");
        }

        @Test
        void executeReturnsTheOrderId() throws Exception {
            long orderId = Reversible.execute(createOrder("2 books"));

            assertThat(orderId).isEqualTo(100L);
            assertThat(orderStore.records()).containsExactly(Map.entry(100L, "2 books"));
        }

        @Test
        void backwardsDeletesTheOrderThatForwardsStoredInTheContext() {
            IllegalStateException later = new IllegalStateException("later step failed");

            Throwable thrown = thrownBy(() -> Reversible.execute(Reversible.gen(saga -> {
                saga.run(createOrder("2 books"));
                throw later;
            })));

            assertThat(thrown).isSameAs(later);
            assertThat(orderStore.log()).containsExactly("put 100", "delete 100");
            assertThat(orderStore.records()).isEmpty();
        }

        @Test
        void backwardsFindsNoOrderIdWhenForwardsFailedBeforeStoringIt() {
            IllegalStateException storeDown = new IllegalStateException("store down");
            orderStore.failNextPut(storeDown);

            Throwable thrown = thrownBy(() -> Reversible.execute(createOrder("2 books")));

            assertThat(thrown).isSameAs(storeDown);
            assertThat(orderStore.log()).containsExactly("put failed");   // nothing to delete
        }

        @Test
        void eachCallOfTheFactoryGetsItsOwnContext() throws Exception {
            ContextAction<Map<String, Object>, Long> first = createOrder("first");
            ContextAction<Map<String, Object>, Long> second = createOrder("second");

            Reversible.execute(first);
            Reversible.execute(second);

            assertThat(first.context()).containsExactly(Map.entry("order_id", 100L));
            assertThat(second.context()).containsExactly(Map.entry("order_id", 101L));
        }
    }

    // ---- reversible.action(context_class=UserInfo): create_user --------------------------------------

    /** The seed's {@code context_class}: constructed with no arguments, once per action. */
    static final class UserInfo {
        Long userId;
    }

    @Nested
    class CreateUserWithAContextClass {

        private final Store userStore = new Store();

        ContextAction<UserInfo, UserInfo> createUser(String userDetails) {
            return Reversible.action(UserInfo::new,
                    userInfo -> {
                        userInfo.userId = userStore.put(userDetails);
                        return userInfo;
                    },
                    userInfo -> {
                        if (userInfo.userId != null) {
                            userStore.delete(userInfo.userId);
                        }
                    })
                    .named("createUser");
        }

        @Test
        void forwardsReturnsTheContextItFilledIn() throws Exception {
            ContextAction<UserInfo, UserInfo> createUser = createUser("ada");

            UserInfo userInfo = Reversible.execute(createUser);

            assertThat(userInfo).isSameAs(createUser.context());
            assertThat(userInfo.userId).isEqualTo(100L);
        }

        @Test
        void rollbackDeletesTheUser() {
            thrownBy(() -> Reversible.execute(Reversible.gen(saga -> {
                saga.run(createUser("ada"));
                throw new IllegalStateException("later");
            })));

            assertThat(userStore.log()).containsExactly("put 100", "delete 100");
        }
    }

    // ---- class CreateUser: an action written as a class ------------------------------------------------

    @Nested
    class CreateUserAsAClass {

        private final Store userStore = new Store();

        /** The seed's {@code class CreateUser(object)} with {@code forwards} and {@code backwards}. */
        final class CreateUser implements Action<Long> {
            private final String userInfo;
            private Long userId;

            CreateUser(String userInfo) {
                this.userInfo = userInfo;
            }

            @Override
            public Long forwards() {
                userId = userStore.put(userInfo);
                return userId;
            }

            @Override
            public void backwards() {
                if (userId != null) {   // userId will be null if creation failed
                    userStore.delete(userId);
                }
            }
        }

        @Test
        void executeReturnsWhatForwardsReturns() throws Exception {
            assertThat(Reversible.execute(new CreateUser("ada"))).isEqualTo(100L);
            assertThat(userStore.log()).containsExactly("put 100");
        }

        @Test
        void failedCreationIsRolledBackWithoutDeletingAnything() {
            IllegalStateException storeDown = new IllegalStateException("store down");
            userStore.failNextPut(storeDown);

            assertThat(thrownBy(() -> Reversible.execute(new CreateUser("ada")))).isSameAs(storeDown);
            assertThat(userStore.log()).containsExactly("put failed");
        }

        @Test
        void createdUserIsDeletedWhenTheSagaFailsLater() {
            thrownBy(() -> Reversible.execute(Reversible.gen(saga -> {
                saga.run(new CreateUser("ada"));
                throw new IllegalStateException("later");
            })));

            assertThat(userStore.log()).containsExactly("put 100", "delete 100");
        }

        @Test
        void actionIsNamedAfterItsClass() {
            assertThat(new CreateUser("ada").name()).isEqualTo("CreateUser");
        }
    }

    // ---- reversible.gen: submit_order ------------------------------------------------------------------

    static final class InsufficientFundsException extends Exception {
        private static final long serialVersionUID = 1L;

        InsufficientFundsException(String message) {
            super(message);
        }
    }

    record Order(String cart, long userId) {
    }

    @Nested
    class SubmitOrder {

        private final Calls calls = new Calls();
        private final Store orderStore = new Store();
        private long balance = 100;
        private RuntimeException paymentStoreFailure;
        private RuntimeException receiptFailure;

        /** CreateOrder is a class with forwards() returning the order id. */
        final class CreateOrder implements Action<Long> {
            private final String cart;
            private Long orderId;

            CreateOrder(String cart) {
                this.cart = cart;
            }

            @Override
            public Long forwards() {
                orderId = orderStore.put(cart);
                calls.add("create order " + orderId);
                return orderId;
            }

            @Override
            public void backwards() {
                if (orderId != null) {
                    orderStore.delete(orderId);
                    calls.add("delete order " + orderId);
                }
            }
        }

        String getPaymentInfo(long userId) {
            if (paymentStoreFailure != null) {
                throw paymentStoreFailure;
            }
            return "card of " + userId;
        }

        /** charge_order is a function that returns an action. */
        Action<Long> chargeOrder(String paymentInfo, long orderId) {
            long amount = 60;
            return Reversible.<Long>action(
                    context -> {
                        calls.add("charge " + orderId);
                        if (balance < amount) {
                            throw new InsufficientFundsException("balance " + balance);
                        }
                        balance -= amount;
                        context.put("charged", amount);
                        return amount;
                    },
                    context -> {
                        calls.add("refund " + orderId + (context.containsKey("charged") ? " " + amount : " nothing"));
                        if (context.containsKey("charged")) {
                            balance += amount;
                        }
                    })
                    .named("chargeOrder");
        }

        Action<Void> updateReceipt(long orderId, long total) {
            return Reversible.<Void>action(
                    context -> {
                        calls.add("update receipt " + orderId + " total " + total);
                        if (receiptFailure != null) {
                            throw receiptFailure;
                        }
                        return null;
                    },
                    context -> calls.add("undo receipt " + orderId))
                    .named("updateReceipt");
        }

        /** {@code @reversible.gen def submit_order(order)}. */
        CompositeAction<Long> submitOrder(Order order) {
            return Reversible.<Long>gen(saga -> {
                long orderId = saga.run(new CreateOrder(order.cart()));

                // If getPaymentInfo throws, the order is deleted and the exception re-raised to the caller.
                String paymentInfo = getPaymentInfo(order.userId());

                Long total;
                try {
                    total = saga.run(chargeOrder(paymentInfo, orderId));
                } catch (InsufficientFundsException e) {
                    // Exceptions thrown by a step's forwards reach the body at the call point; handling
                    // them prevents the rollback of everything else.
                    calls.add("send insufficient funds email " + orderId + " to " + order.userId());
                    total = null;
                }
                if (total != null) {
                    saga.run(updateReceipt(orderId, total));
                    calls.add("send receipt " + orderId);
                }

                return orderId;   // the order id is the result of this action
            }).named("submitOrder");
        }

        @Test
        void placesChargesAndSendsTheReceipt() throws Exception {
            long orderId = Reversible.execute(submitOrder(new Order("cart", 7)));

            assertThat(orderId).isEqualTo(100L);
            assertThat(balance).isEqualTo(40);
            assertThat(calls.list()).containsExactly(
                    "create order 100", "charge 100", "update receipt 100 total 60", "send receipt 100");
        }

        @Test
        void insufficientFundsCompensatesTheChargeOnlyAndStillReturnsTheOrderId() throws Exception {
            balance = 10;

            long orderId = Reversible.execute(submitOrder(new Order("cart", 7)));

            assertThat(orderId).isEqualTo(100L);
            assertThat(orderStore.records()).containsOnlyKeys(100L);   // the order stands
            assertThat(balance).isEqualTo(10);
            // Deliberate difference from the seed (rule 6): the failed charge is itself compensated.
            assertThat(calls.list()).containsExactly(
                    "create order 100", "charge 100", "refund 100 nothing", "send insufficient funds email 100 to 7");
        }

        @Test
        void failureOutsideAnyStepDeletesTheOrderAndReraisesTheSameException() {
            paymentStoreFailure = new IllegalStateException("payment store down");

            Throwable thrown = thrownBy(() -> Reversible.execute(submitOrder(new Order("cart", 7))));

            assertThat(thrown).isSameAs(paymentStoreFailure);
            assertThat(calls.list()).containsExactly("create order 100", "delete order 100");
            assertThat(orderStore.records()).isEmpty();
        }

        @Test
        void failedReceiptUndoesEverythingInReverseOfTheForwardsOrder() {
            receiptFailure = new IllegalStateException("receipt service down");

            Throwable thrown = thrownBy(() -> Reversible.execute(submitOrder(new Order("cart", 7))));

            assertThat(thrown).isSameAs(receiptFailure);
            assertThat(balance).isEqualTo(100);
            assertThat(calls.list()).containsExactly(
                    "create order 100", "charge 100", "update receipt 100 total 60",
                    "undo receipt 100", "refund 100 60", "delete order 100");
        }

        @Test
        void anotherCompositeRunsSubmitOrderAsAStep() {
            IllegalStateException later = new IllegalStateException("checkout failed after the order");

            Throwable thrown = thrownBy(() -> Reversible.execute(Reversible.gen(saga -> {
                long orderId = saga.run(submitOrder(new Order("cart", 7)));
                calls.add("checkout got " + orderId);
                throw later;
            })));

            assertThat(thrown).isSameAs(later);
            assertThat(balance).isEqualTo(100);
            assertThat(calls.list()).containsExactly(
                    "create order 100", "charge 100", "update receipt 100 total 60", "send receipt 100",
                    "checkout got 100",
                    "undo receipt 100", "refund 100 60", "delete order 100");
        }

        @Test
        void failingCompensationLosesNeitherTheOriginalNorTheCompensationFailure() {
            // The seed raises only the compensation's exception; we keep both (rule 3).
            receiptFailure = new IllegalStateException("receipt service down");
            IllegalStateException refundFailure = new IllegalStateException("refund failed");
            Action<Void> step = Reversible.<Void>action(ctx -> { throw receiptFailure; }, ctx -> { throw refundFailure; });

            Throwable thrown = thrownBy(() -> Reversible.execute(step));

            assertThat(thrown).isInstanceOf(CompensationFailedException.class).hasCauseReference(receiptFailure);
            assertThat(((CompensationFailedException) thrown).failures()).containsExactly(refundFailure);
        }
    }

    // ---- reversible.Return: values from gen -------------------------------------------------------------

    @Test
    void bodyReturnsAValueBuiltFromItsSteps() throws Exception {
        Action<Integer> f = Reversible.action(ctx -> 2, ctx -> { });
        Action<Integer> g = Reversible.action(ctx -> 3, ctx -> { });

        Integer sum = Reversible.execute(Reversible.gen(saga -> {
            int a = saga.run(f);
            int b = saga.run(g);
            return a + b;
        }));

        assertThat(sum).isEqualTo(5);
    }

    // ---- reversible.tornado: post_comment ---------------------------------------------------------------

    static final class CommentStoreException extends Exception {
        private static final long serialVersionUID = 1L;

        CommentStoreException(String message) {
            super(message);
        }
    }

    @Nested
    class PostComment {

        private final ExecutorService http = Executors.newFixedThreadPool(2);
        private final Calls calls = new Calls();
        private boolean commentStoreDown;
        private RuntimeException countFailure;

        @AfterEach
        void stopHttp() throws InterruptedException {
            http.shutdownNow();
            assertThat(http.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }

        /** save_comment: forwards and backwards are both asynchronous; the comment id travels in the action. */
        final class SaveComment implements AsyncAction<Long> {
            private final String comment;
            private volatile Long commentId;

            SaveComment(String comment) {
                this.comment = comment;
            }

            @Override
            public CompletionStage<Long> forwards() {
                return CompletableFuture.supplyAsync(() -> {
                    calls.add("save " + comment);
                    if (commentStoreDown) {
                        throw new java.util.concurrent.CompletionException(new CommentStoreException("store down"));
                    }
                    commentId = 42L;
                    return commentId;
                }, http);
            }

            @Override
            public CompletionStage<?> backwards() {
                // delete_comment returns a future
                return CompletableFuture.runAsync(() -> calls.add(commentId == null ? "delete nothing" : "delete comment " + commentId), http);
            }

            @Override
            public String name() {
                return "saveComment";
            }
        }

        AsyncAction<Void> queueSaveCommentRequest(String comment) {
            return new AsyncAction<>() {
                @Override
                public CompletionStage<Void> forwards() {
                    return CompletableFuture.runAsync(() -> calls.add("queue save request " + comment), http);
                }

                @Override
                public CompletionStage<?> backwards() {
                    return CompletableFuture.runAsync(() -> calls.add("dequeue save request " + comment), http);
                }
            };
        }

        Action<Void> updateCommentCount(String post) {
            return Reversible.<Void>action(
                    ctx -> {
                        calls.add("increment count of " + post);
                        if (countFailure != null) {
                            throw countFailure;
                        }
                        return null;
                    },
                    ctx -> calls.add("decrement count of " + post));
        }

        /** {@code @reversible.tornado.gen def post_comment(post, comment, client)}. */
        AsyncCompositeAction<Void> postComment(String post, String comment) {
            return Reversible.<Void>genAsync(saga -> saga.run(new SaveComment(comment))
                    .handle((commentId, failure) -> failure)
                    .thenCompose(failure -> {
                        if (failure instanceof CommentStoreException) {
                            // Exceptions thrown by actions may be caught by the body.
                            return saga.run(queueSaveCommentRequest(comment));
                        }
                        if (failure != null) {
                            return CompletableFuture.<Void>failedFuture(failure);
                        }
                        return saga.run(updateCommentCount(post)).thenRun(() -> calls.add("update cache"));
                    })).named("postComment");
        }

        @Test
        void savesTheCommentThenUpdatesTheCountAndTheCache() {
            CompletableFuture<Void> future = Reversible.executeAsync(postComment("post-1", "hello"));

            await().atMost(Duration.ofSeconds(10)).until(future::isDone);
            assertThat(future).isCompleted();
            assertThat(calls.list()).containsExactly("save hello", "increment count of post-1", "update cache");
        }

        @Test
        void commentStoreFailureIsCaughtAndTheRequestQueuedInstead() {
            commentStoreDown = true;

            CompletableFuture<Void> future = Reversible.executeAsync(postComment("post-1", "hello"));

            await().atMost(Duration.ofSeconds(10)).until(future::isDone);
            assertThat(future).isCompleted();
            // Rule 6 (a deliberate difference from the seed): the failed save is compensated before the body sees it.
            assertThat(calls.list()).containsExactly("save hello", "delete nothing", "queue save request hello");
        }

        @Test
        void failingCountUpdateDeletesTheSavedCommentAndFailsWithTheSameException() {
            countFailure = new IllegalStateException("count service down");

            CompletableFuture<Void> future = Reversible.executeAsync(postComment("post-1", "hello"));

            await().atMost(Duration.ofSeconds(10)).until(future::isDone);
            assertThat(failureOf(future)).isSameAs(countFailure);
            assertThat(calls.list()).containsExactly(
                    "save hello", "increment count of post-1", "decrement count of post-1", "delete comment 42");
        }
    }

    // ---- reversible.tornado.lift --------------------------------------------------------------------------

    @Nested
    class Lift {

        private final Calls calls = new Calls();

        static final class HttpError extends Exception {
            private static final long serialVersionUID = 1L;

            HttpError(String message) {
                super(message);
            }
        }

        Action<String> buildRequestAction() {
            return Reversible.<String>action(ctx -> {
                calls.add("build request");
                return "GET /thing";
            }, ctx -> calls.add("discard request")).named("buildRequest");
        }

        /** {@code @reversible.tornado.gen def my_action()}: a non-reversible fetch through lift. */
        AsyncCompositeAction<String> myAction(CompletableFuture<String> fetch) {
            return Reversible.genAsync(saga -> saga.run(buildRequestAction())
                    .thenCompose(request -> saga.lift(fetch).exceptionally(failure -> {
                        // the lifted future's own exception, at the call point
                        if (failure instanceof HttpError) {
                            calls.add("handle " + failure.getMessage());
                            return "fallback";
                        }
                        throw new java.util.concurrent.CompletionException(failure);
                    })));
        }

        @Test
        void liftedResultIsTheResponse() {
            assertThat(Reversible.executeAsync(myAction(CompletableFuture.completedFuture("200 OK"))).join()).isEqualTo("200 OK");
            assertThat(calls.list()).containsExactly("build request");
        }

        @Test
        void liftedFailureReachesTheBodyWhichMayHandleIt() {
            CompletableFuture<String> future = Reversible.executeAsync(myAction(CompletableFuture.failedFuture(new HttpError("503"))));

            assertThat(future.join()).isEqualTo("fallback");
            assertThat(calls.list()).containsExactly("build request", "handle 503");
        }

        @Test
        void liftedOperationIsNeverCompensatedWhenTheSagaFailsLater() {
            IllegalStateException later = new IllegalStateException("later");
            List<String> fetched = new ArrayList<>();
            CompletableFuture<String> fetch = CompletableFuture.supplyAsync(() -> {
                synchronized (fetched) {
                    fetched.add("fetched");
                }
                return "200 OK";
            });

            CompletableFuture<String> future = Reversible.executeAsync(Reversible.genAsync(saga -> saga.run(buildRequestAction())
                    .thenCompose(request -> saga.lift(fetch))
                    .thenCompose(response -> CompletableFuture.<String>failedFuture(later))));

            await().atMost(Duration.ofSeconds(10)).until(future::isDone);
            assertThat(failureOf(future)).isSameAs(later);
            assertThat(calls.list()).containsExactly("build request", "discard request");
            synchronized (fetched) {
                assertThat(fetched).containsExactly("fetched");
            }
        }
    }
}
