package dev.reversible.demo;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.reversible.demo.account.RefundFailedException;
import dev.reversible.test.AutoConfigureReversibleTest;
import dev.reversible.test.FailureInjector;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The saga console with the {@code sagas} endpoint read-only (its default access): a stuck saga is shown, its
 * Retry and Resolve buttons are disabled with the reason, and clicking them sends no request that writes.
 */
@AutoConfigureReversibleTest
@TestPropertySource(properties = "management.endpoint.sagas.access=read-only")
class ConsoleReadOnlyBrowserTests extends HttpTestSupport {

    @Value("${local.server.port}")
    private int port;

    @Autowired
    private FailureInjector injector;

    @Autowired
    private Requests requests;

    @Test
    void buttonsAreDisabledWithTheReasonAndNoPostIsSent() {
        injector.failCompensation("chargeAccount", new RefundFailedException("Refund refused"));
        String stuck;
        try {
            stuck = postOrder("alice", "BOOK-1", 1, "AQ").text("sagaId");
        } finally {
            injector.reset();
        }
        requests.seen.clear();

        try (ConsoleBrowser browser = ConsoleBrowser.open(port)) {
            browser.console("#/saga/" + stuck);
            browser.waitFor(By.id("timeline-svg"));
            assertThat(browser.driver().findElement(By.id("actions")).isDisplayed()).isTrue();
            assertThat(browser.driver().findElement(By.id("retry")).isEnabled()).isFalse();
            assertThat(browser.driver().findElement(By.id("resolve")).isEnabled()).isFalse();
            assertThat(browser.driver().findElement(By.id("read-only")).getText()).contains("disabled", "read-only",
                    "management.endpoint.sagas.access=unrestricted");
            assertThat(browser.driver().findElement(By.id("notice")).getText()).contains("read-only");

            browser.driver().findElement(By.id("retry")).click();
            browser.driver().findElement(By.id("resolve")).click();
            browser.screenshot("read-only");
            // a read after the clicks: had they sent anything, it would have been seen before it
            browser.driver().navigate().refresh();
            browser.waitFor(By.id("timeline-svg"));
            browser.assertNoConsoleErrors();
        }

        assertThat(requests.seen).as("the console read the saga").contains("GET /actuator/sagas/" + stuck);
        assertThat(requests.seen).filteredOn(request -> !request.startsWith("GET ")).isEmpty();
        assertThat(jdbc.sql("SELECT status FROM reversible_sagas WHERE id = :id").param("id", stuck).query(String.class).single())
                .isEqualTo("STUCK");
    }

    /** Every request the application served, as "METHOD path". */
    static final class Requests {

        final List<String> seen = new CopyOnWriteArrayList<>();
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class RecordRequests {

        @Bean
        Requests requests() {
            return new Requests();
        }

        @Bean
        Filter recordingFilter(Requests requests) {
            return (request, response, chain) -> {
                HttpServletRequest http = (HttpServletRequest) request;
                requests.seen.add(http.getMethod() + " " + http.getRequestURI());
                chain.doFilter(request, response);
            };
        }
    }
}
