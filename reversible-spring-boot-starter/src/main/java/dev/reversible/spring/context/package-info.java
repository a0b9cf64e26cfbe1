/**
 * Context propagation: a saga's scope travels with the tasks it submits (Micrometer's
 * context-propagation), so their actions join it.
 */
package dev.reversible.spring.context;
