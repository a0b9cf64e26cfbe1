package dev.reversible.demo.web;

import dev.reversible.demo.order.Order;
import dev.reversible.demo.order.OrderService;
import dev.reversible.demo.order.PlacedOrder;
import jakarta.validation.Valid;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;

/** {@code POST /orders} places an order through the saga; {@code GET /orders/{id}} shows how it ended. */
@RestController
class OrderController {

    private final OrderService orders;

    OrderController(OrderService orders) {
        this.orders = orders;
    }

    @PostMapping("/orders")
    ResponseEntity<PlacedOrder> placeOrder(@Valid @RequestBody OrderRequest request, UriComponentsBuilder uri) {
        PlacedOrder placed = orders.placeOrder(request.toNewOrder());
        return ResponseEntity.created(uri.path("/orders/{id}").buildAndExpand(placed.orderId()).toUri()).body(placed);
    }

    @GetMapping("/orders/{id}")
    Order order(@PathVariable long id) {
        return orders.find(id).orElseThrow(() -> new ResourceNotFoundException("order", id));
    }
}
