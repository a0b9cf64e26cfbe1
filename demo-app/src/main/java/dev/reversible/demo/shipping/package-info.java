/** Shipments: the saga's {@code bookShipment} step and its {@code cancelShipment} compensation. */
package dev.reversible.demo.shipping;
