package dev.reversible.demo;

/** {@link OrderPlacementContract} on the embedded H2 database, the demo's default. */
class OrderPlacementTests extends OrderPlacementContract {
}
