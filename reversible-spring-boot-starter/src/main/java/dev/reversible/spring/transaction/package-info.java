/**
 * Transactions and sagas: which steps share the fate of a transaction they joined, and how compensation
 * handlers run outside any transaction. Used only when {@code spring-tx} is on the class path.
 */
package dev.reversible.spring.transaction;
