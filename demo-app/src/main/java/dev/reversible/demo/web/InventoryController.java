package dev.reversible.demo.web;

import dev.reversible.demo.inventory.InventoryItem;
import dev.reversible.demo.inventory.InventoryService;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /inventory/{sku}}: a product's stock and price. */
@RestController
class InventoryController {

    private final InventoryService inventory;

    InventoryController(InventoryService inventory) {
        this.inventory = inventory;
    }

    @GetMapping("/inventory/{sku}")
    InventoryItem item(@PathVariable String sku) {
        return inventory.find(sku).orElseThrow(() -> new ResourceNotFoundException("inventory item", sku));
    }
}
