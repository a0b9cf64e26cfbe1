/**
 * Orders: {@link dev.reversible.demo.order.OrderSaga} is the saga of three steps;
 * {@link dev.reversible.demo.order.OrderService} validates, writes the order around the saga and reports
 * what its rollback did.
 */
package dev.reversible.demo.order;
