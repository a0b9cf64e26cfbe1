/** Stock and prices: the saga's {@code reserveStock} step and its compensation. */
package dev.reversible.demo.inventory;
