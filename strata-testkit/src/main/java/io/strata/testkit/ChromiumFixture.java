package io.strata.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A real headless Chromium (Debian's {@code chromium}) driven through Debian's
 * {@code chromium-driver} with Selenium, for the web UI's browser tests. Both binaries are named
 * explicitly, so Selenium never looks for or downloads a driver; the browser's profile, HOME and
 * caches live under a directory of the test, and it is asked not to reach any network service of
 * its own. {@link #close} quits the browser and stops the driver this fixture started.
 *
 * <p>Selenium is an optional dependency of the test kit: a module using this fixture adds
 * {@code selenium-java} to its test scope.
 */
public final class ChromiumFixture implements AutoCloseable {
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private final ChromeDriverService service;
    private final ChromeDriver driver;

    private ChromiumFixture(ChromeDriverService service, ChromeDriver driver) {
        this.service = service;
        this.driver = driver;
    }

    /** Starts the driver on a free loopback port and a browser window of {@code width} x {@code height}. */
    public static ChromiumFixture start(Path dir, int width, int height) {
        for (Path binary : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(binary)) {
                throw new FixtureException(binary + " is missing: install Debian's chromium and chromium-driver"
                        + " (scripts/install-deps test)");
            }
        }
        Path home;
        try {
            home = Files.createDirectories(dir.resolve("chromium-home"));
        } catch (IOException e) {
            throw new FixtureException("cannot make the browser's home under " + dir, e);
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingPort(FreePorts.loopback())
                .withEnvironment(Map.of("HOME", home.toString(), "XDG_CONFIG_HOME", home.resolve(".config").toString(),
                        "XDG_CACHE_HOME", home.resolve(".cache").toString()))
                .withLogFile(home.resolve("chromedriver.log").toFile())
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--user-data-dir=" + home.resolve("profile"), "--window-size=" + width + "," + height,
                "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-default-apps", "--no-pings",
                "--disable-features=Translate,OptimizationHints,MediaRouter", "--password-store=basic",
                "--lang=en-US", "--force-device-scale-factor=1");
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
        try {
            service.start();
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().pageLoadTimeout(Duration.ofMinutes(2));
            ChromiumFixture fixture = new ChromiumFixture(service, driver);
            fixture.darkMode(false);
            return fixture;
        } catch (IOException | RuntimeException e) {
            service.stop();
            throw new FixtureException("chromium did not start under chromedriver: " + e.getMessage(), e);
        }
    }

    public WebDriver driver() {
        return driver;
    }

    /** The page as a browser of {@code width} x {@code height} shows it. */
    public void resize(int width, int height) {
        // Headless Chromium sizes the window, not the viewport; the emulation makes the viewport exact.
        driver.manage().window().setSize(new Dimension(width, height));
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height,
                "deviceScaleFactor", 1, "mobile", width < 700));
    }

    /**
     * Whether pages see {@code prefers-color-scheme: dark}. Pages also see
     * {@code prefers-reduced-motion: reduce}, so a screenshot never catches an animation halfway.
     */
    public void darkMode(boolean dark) {
        driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features", List.of(
                Map.of("name", "prefers-color-scheme", "value", dark ? "dark" : "light"),
                Map.of("name", "prefers-reduced-motion", "value", "reduce"))));
    }

    /** A PNG of what the window shows now, written to {@code file} (its directory made). */
    public Path screenshot(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new FixtureException("cannot write the screenshot " + file, e);
        }
    }

    /** What the browser's console said (errors, warnings), for a failing test's message. */
    public String consoleLog() {
        StringBuilder text = new StringBuilder();
        driver.manage().logs().get("browser").forEach(entry -> text.append(entry.getLevel()).append(' ')
                .append(entry.getMessage()).append('\n'));
        return text.toString();
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
        }
    }

    /** Where a module's tests put screenshots: {@code target/ui-screenshots}, copied into docs/ui by scripts/ui-screenshots. */
    public static Path screenshotDir(Path moduleDir) {
        return moduleDir.resolve("target").resolve("ui-screenshots");
    }
}
