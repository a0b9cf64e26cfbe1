package dev.reversible.demo;

import java.util.List;

import dev.reversible.demo.account.RefundFailedException;
import dev.reversible.spring.jdbc.SagaOperations;
import dev.reversible.test.AutoConfigureReversibleTest;
import dev.reversible.test.FailureInjector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The saga console in a real browser (headless Chromium), on the demo at a random port with its own settings
 * ({@code reversible.console.enabled=true}, the {@code sagas} endpoint open): the list, a stuck saga's
 * timeline, Retry and Resolve, and a 409 when someone else was faster. A screenshot of each scenario is written
 * to {@code target/console-screenshots/}. Skipped, saying why, where Chromium or chromedriver is not installed.
 */
@AutoConfigureReversibleTest
class ConsoleBrowserTests extends HttpTestSupport {

    private static final String REFUND_DOWN = "Refund refused: the payment provider is down";

    @Value("${local.server.port}")
    private int port;

    @Autowired
    private FailureInjector injector;

    @Autowired
    private SagaOperations sagaOperations;

    private ConsoleBrowser browser;

    @BeforeEach
    void openBrowser() {
        browser = ConsoleBrowser.open(port);
    }

    @AfterEach
    void closeBrowser() {
        injector.reset();
        if (browser != null) {
            browser.close();
        }
    }

    /** An order to Antarctica whose refund fails: the shipment is cancelled, the saga STUCK at once. */
    private String stuckOrder(String customer) {
        injector.failCompensation("chargeAccount", new RefundFailedException(REFUND_DOWN));
        try {
            Reply reply = postOrder(customer, "BOOK-1", 1, "AQ");
            assertThat(reply.status()).isEqualTo(500);
            return reply.text("sagaId");
        } finally {
            injector.reset();
        }
    }

    /** An order to Antarctica rolled back completely: COMPENSATED. */
    private String compensatedOrder() {
        Reply reply = postOrder("alice", "BOOK-1", 1, "AQ");
        assertThat(reply.status()).isEqualTo(502);
        return reply.text("sagaId");
    }

    private String statusInDatabase(String id) {
        return jdbc.sql("SELECT status FROM reversible_sagas WHERE id = :id").param("id", id).query(String.class).single();
    }

    private By row(String id) {
        return By.cssSelector("#saga-rows tr[data-saga-id='" + id + "']");
    }

    @Test
    void listShowsTheSagasATestCreatedNewestFirstWithCountsAndFilters() {
        String compensated = compensatedOrder();
        String stuck = stuckOrder("alice");

        browser.console("#/");
        browser.waitFor(row(stuck));
        List<String> ids = browser.driver().findElements(By.cssSelector("#saga-rows tr")).stream()
                .map(row -> row.getAttribute("data-saga-id")).toList();
        assertThat(ids).containsExactly(stuck, compensated);
        assertThat(browser.driver().findElement(row(stuck)).getText()).contains("placeOrder", "STUCK", "bookShipment");
        assertThat(browser.driver().findElement(By.cssSelector("#filters [data-status='STUCK'] .count")).getText()).isEqualTo("1");
        assertThat(browser.driver().findElement(By.cssSelector("#filters [data-status='COMPENSATED'] .count")).getText()).isEqualTo("1");
        assertThat(browser.driver().findElement(By.cssSelector("#filters [data-status='ALL'] .count")).getText()).isEqualTo("2");
        assertThat(browser.driver().findElement(By.id("page-info")).getText()).isEqualTo("1–2 of 2");
        browser.screenshot("list");

        browser.driver().findElement(By.cssSelector("#filters [data-status='STUCK']")).click();
        browser.waiting().until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#saga-rows tr"), 1));
        assertThat(browser.driver().findElement(By.cssSelector("#saga-rows tr")).getAttribute("data-saga-id")).isEqualTo(stuck);
        assertThat(browser.driver().findElement(By.cssSelector("#filters [data-status='STUCK']")).getAttribute("aria-pressed"))
                .isEqualTo("true");

        String newer = stuckOrder("bob");
        browser.waitFor(row(newer));   // refreshed by itself
        assertThat(browser.driver().findElements(By.cssSelector("#saga-rows tr")).stream()
                .map(row -> row.getAttribute("data-saga-id")).toList()).containsExactly(newer, stuck);
        assertThat(browser.driver().switchTo().activeElement().getAttribute("data-status")).as("the refresh keeps the keyboard's place")
                .isEqualTo("STUCK");
        browser.assertNoConsoleErrors();
    }

    @Test
    void stuckSagasTimelineHasALanePerStepWithItsCompensationAttempts() {
        String stuck = stuckOrder("alice");

        browser.console("#/saga/" + stuck);
        browser.waitFor(By.id("timeline-svg"));
        List<WebElement> lanes = browser.driver().findElements(By.cssSelector("#timeline-svg g.lane"));
        assertThat(lanes).extracting(lane -> lane.getAttribute("data-action"))
                .containsExactly("createOrder", "reserveStock", "chargeAccount", "bookShipment");
        assertThat(lanes).allSatisfy(lane -> assertThat(lane.findElements(By.cssSelector("rect.forward"))).hasSize(1));
        assertThat(lanes.get(0).findElements(By.cssSelector("rect.compensation"))).as("ABORT stopped before createOrder").isEmpty();
        assertThat(lanes.get(1).findElements(By.cssSelector("rect.compensation"))).as("ABORT stopped before reserveStock").isEmpty();
        assertThat(lanes.get(2).findElements(By.cssSelector("rect.compensation"))).singleElement()
                .satisfies(attempt -> {
                    assertThat(attempt.getAttribute("data-outcome")).isEqualTo("failed");
                    assertThat(attempt.getAttribute("class")).contains("stuck");
                });
        assertThat(lanes.get(3).findElement(By.cssSelector("rect.forward")).getAttribute("class")).contains("failed");
        assertThat(lanes.get(3).findElements(By.cssSelector("rect.compensation"))).singleElement()
                .satisfies(attempt -> assertThat(attempt.getAttribute("data-outcome")).isEqualTo("compensated"));
        assertThat(browser.driver().findElement(By.id("saga-error")).getText())
                .isEqualTo(RefundFailedException.class.getName() + ": " + REFUND_DOWN);
        assertThat(browser.driver().findElement(By.id("facts")).getText()).contains("bookShipment", "Owner", "Compensation attempts");
        assertThat(browser.driver().findElement(By.id("retry")).isEnabled()).isTrue();
        browser.screenshot("timeline-stuck");

        browser.resize(390, 844);
        browser.waiting().until(driver -> Integer.parseInt(driver.findElement(By.id("timeline-svg")).getAttribute("width")) < 390);
        assertThat(browser.overflowsSideways()).as("readable at phone width without scrolling sideways").isFalse();
        browser.screenshot("timeline-stuck-phone");
        browser.assertNoConsoleErrors();
    }

    @Test
    void retryOfAStuckSagaWhoseFaultWasClearedEndsCompensatedOnThePageAndInTheDatabase() {
        String stuck = stuckOrder("alice");   // the refund works again from here on

        browser.console("#/saga/" + stuck);
        browser.waitFor(By.id("retry")).click();

        browser.waitForText(By.id("result"), "HTTP 200");
        browser.waitForText(By.id("saga-status"), "COMPENSATED");
        assertThat(browser.driver().findElement(By.id("result")).getText()).isEqualTo("Retry: HTTP 200 — the saga is now COMPENSATED.");
        assertThat(browser.driver().findElement(By.id("actions")).isDisplayed()).isFalse();
        assertThat(browser.driver().findElements(By.cssSelector("#timeline-svg g.lane[data-action='reserveStock'] rect.compensation")))
                .singleElement().satisfies(attempt -> assertThat(attempt.getAttribute("data-outcome")).isEqualTo("compensated"));
        assertThat(browser.driver().findElements(By.cssSelector("#timeline-svg g.lane[data-action='chargeAccount'] rect.compensation")))
                .extracting(attempt -> attempt.getAttribute("data-outcome")).containsExactly("failed", "compensated");
        assertThat(statusInDatabase(stuck)).isEqualTo("COMPENSATED");
        assertThat(stock("BOOK-1")).isEqualTo(10);
        browser.screenshot("retry-compensated");
        browser.assertNoConsoleErrors();
    }

    @Test
    void resolveWithANoteByKeyboardEndsResolvedWithTheNote() {
        String stuck = stuckOrder("bob");

        browser.console("#/saga/" + stuck);
        WebElement note = browser.waitFor(By.id("note"));
        browser.driver().findElement(By.id("resolve")).click();
        browser.waitForText(By.id("result"), "write a note first");
        assertThat(statusInDatabase(stuck)).as("no note, no request").isEqualTo("STUCK");

        note.sendKeys("refunded by hand, ticket 4711");
        note.sendKeys(Keys.TAB);   // to the Resolve button
        assertThat(browser.driver().switchTo().activeElement().getAttribute("id")).isEqualTo("resolve");
        browser.driver().switchTo().activeElement().sendKeys(Keys.ENTER);

        browser.waitForText(By.id("saga-status"), "RESOLVED");
        assertThat(browser.driver().findElement(By.id("result")).getText()).isEqualTo("Resolve: HTTP 200 — the saga is now RESOLVED.");
        assertThat(browser.driver().findElement(By.id("saga-note")).getText()).isEqualTo("refunded by hand, ticket 4711");
        assertThat(statusInDatabase(stuck)).isEqualTo("RESOLVED");
        assertThat(jdbc.sql("SELECT note FROM reversible_sagas WHERE id = :id").param("id", stuck).query(String.class).single())
                .isEqualTo("refunded by hand, ticket 4711");
        browser.screenshot("resolve-resolved");
        browser.assertNoConsoleErrors();
    }

    @Test
    void textFromTheJournalIsShownAsTextNeverAsHtml() {
        String markup = "<img src=x onerror=\"document.title='owned'\"> & <b>bold</b>";
        injector.failCompensation("chargeAccount", new RefundFailedException(markup));
        String stuck;
        try {
            stuck = postOrder("alice", "BOOK-1", 1, "AQ").text("sagaId");
        } finally {
            injector.reset();
        }

        browser.console("#/saga/" + stuck);
        browser.waitFor(By.id("timeline-svg"));
        assertThat(browser.driver().findElement(By.id("saga-error")).getText())
                .isEqualTo(RefundFailedException.class.getName() + ": " + markup);
        assertThat(browser.driver().findElements(By.cssSelector("main img, main b"))).isEmpty();
        assertThat(browser.driver().getTitle()).doesNotContain("owned");
        browser.assertNoConsoleErrors();
    }

    @Test
    void anOperatorWhoWasFasterMakesTheRetryAnswer409OnThePage() {
        String stuck = stuckOrder("alice");
        browser.console("#/saga/" + stuck);
        browser.waitFor(By.id("retry"));
        browser.driver().findElement(By.id("auto-refresh")).click();   // the page still shows it STUCK

        assertThat(sagaOperations.resolve(stuck, "done by someone else").outcome()).hasToString("DONE");
        browser.driver().findElement(By.id("retry")).click();

        browser.waitForText(By.id("result"), "HTTP 409");
        assertThat(browser.driver().findElement(By.id("result")).getText())
                .isEqualTo("Retry: HTTP 409 — Saga " + stuck + " is RESOLVED, not STUCK: nothing was retried");
        browser.waitForText(By.id("saga-status"), "RESOLVED");
        assertThat(statusInDatabase(stuck)).isEqualTo("RESOLVED");
        browser.screenshot("retry-409");
    }
}
