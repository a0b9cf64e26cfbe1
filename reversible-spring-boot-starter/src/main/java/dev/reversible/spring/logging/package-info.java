/** Log lines for operators: a WARN per rolled-back saga, an ERROR per compensation that finally failed. */
package dev.reversible.spring.logging;
