/** Start-up failure analysis: turns a misconfigured saga into Boot's "APPLICATION FAILED TO START" report. */
package dev.reversible.spring.diagnostics;
