/**
 * Orders: {@link dev.reversible.demo.order.OrderSaga} is the saga of five steps, the first and the last of them the
 * order's own record ({@link dev.reversible.demo.order.OrderBook}); {@link dev.reversible.demo.order.OrderService}
 * validates, runs the saga and reports what its rollback did.
 */
package dev.reversible.demo.order;
