package dev.reversible.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A headless Chromium (Debian's {@code chromium} and {@code chromium-driver}) driven by Selenium, on the saga
 * console of a demo running on {@code port}. {@link #open} skips the calling test, saying why, when either is
 * not installed ({@code CHROMIUM} and {@code CHROMEDRIVER} name other locations). Every wait is bounded.
 */
final class ConsoleBrowser implements AutoCloseable {

    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getenv().getOrDefault("CHROMEDRIVER", "/usr/bin/chromedriver"));
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final ChromeDriver driver;
    private final Path profile;
    private final String base;

    private ConsoleBrowser(ChromeDriver driver, Path profile, String base) {
        this.driver = driver;
        this.profile = profile;
        this.base = base;
    }

    /**
     * @param port the demo's port
     * @return a browser at 1280×800, on no page yet
     */
    static ConsoleBrowser open(int port) {
        assumeTrue(Files.isExecutable(CHROMIUM), () -> "skipped: no Chromium at " + CHROMIUM
                + " (apt-get install chromium chromium-driver, or set CHROMIUM)");
        assumeTrue(Files.isExecutable(CHROMEDRIVER), () -> "skipped: no chromedriver at " + CHROMEDRIVER
                + " (apt-get install chromium-driver, or set CHROMEDRIVER)");
        Path profile;
        try {
            profile = Files.createTempDirectory("console-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile()).addArguments("--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-dev-shm-usage", "--window-size=1280,800", "--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(1280, 800));
        return new ConsoleBrowser(driver, profile, "http://localhost:" + port);
    }

    ChromeDriver driver() {
        return driver;
    }

    /** Opens the console at a route: {@code "#/"}, {@code "#/?status=STUCK"}, {@code "#/saga/<id>"}. */
    void console(String route) {
        driver.get(base + "/reversible/console" + route);
    }

    WebDriverWait waiting() {
        return new WebDriverWait(driver, WAIT);
    }

    WebElement waitFor(By locator) {
        return waiting().until(ExpectedConditions.visibilityOfElementLocated(locator));
    }

    void waitForText(By locator, String text) {
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(locator, text));
    }

    void resize(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    /** @return whether the page is wider than the window (something would need scrolling sideways) */
    boolean overflowsSideways() {
        Object overflow = driver.executeScript("return document.documentElement.scrollWidth > window.innerWidth");
        return Boolean.TRUE.equals(overflow);
    }

    /**
     * Writes a screenshot of the whole page to {@code target/console-screenshots/<name>.png}: the window is made as
     * tall as the page for it (same width, so the same layout), then given its size back.
     */
    Path screenshot(String name) {
        Dimension size = driver.manage().window().getSize();
        Number pageHeight = (Number) driver.executeScript("return document.documentElement.scrollHeight");
        Number viewportHeight = (Number) driver.executeScript("return window.innerHeight");
        int chrome = size.getHeight() - viewportHeight.intValue();
        try {
            if (pageHeight.intValue() > viewportHeight.intValue()) {
                driver.manage().window().setSize(new Dimension(size.getWidth(), pageHeight.intValue() + chrome));
            }
            Path directory = Files.createDirectories(Path.of("target", "console-screenshots"));
            Path file = directory.resolve(name + ".png");
            Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            driver.manage().window().setSize(size);
        }
    }

    /** Fails when the page wrote an error to the browser's console (a script error, a failed request). */
    void assertNoConsoleErrors() {
        List<LogEntry> errors = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
        assertThat(errors).as("errors in the browser's console").isEmpty();
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            deleteQuietly(profile);
        }
    }

    private static void deleteQuietly(Path directory) {
        try (var paths = Files.walk(directory)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temporary profile left behind
        }
    }
}
