/**
 * The saga console: one page, served at {@code /reversible/console} when {@code reversible.console.enabled=true}
 * in a servlet web application, that shows the journal's sagas (a list with status filters, a timeline per
 * saga) and retries or resolves a stuck one. The page is plain HTML, CSS and JavaScript shipped in this jar;
 * it reads and writes only through the {@code sagas} actuator endpoint, so that endpoint's exposure, access
 * and the application's security govern it.
 *
 * <p>{@link dev.reversible.spring.console.ReversibleConsoleAutoConfiguration} registers it,
 * {@link dev.reversible.spring.console.ConsoleProperties} configures it, and
 * {@link dev.reversible.spring.console.ConsolePage} serves it.
 */
package dev.reversible.spring.console;
