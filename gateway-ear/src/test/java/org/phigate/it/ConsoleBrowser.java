// SPDX-License-Identifier: Apache-2.0
package org.phigate.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium (Debian's chromium and chromium-driver; .ci/run installs them) with a profile of its own,
 * so no sign-in carries over between tests. Without the two programs the test is skipped, never passed.
 */
final class ConsoleBrowser implements AutoCloseable {

    static final String CONSOLE = Gateway.ADMIN + "/console/";
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    final ChromeDriver driver;
    private final Path profile;
    private final WebDriverWait wait;

    private ConsoleBrowser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
        this.wait = new WebDriverWait(driver, Duration.ofSeconds(20));
    }

    static ConsoleBrowser open() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
                "the console's browser tests need Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)");
        Path profile = Files.createTempDirectory("phigate-chromium");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-quic", "--window-size=1400,1200", "--user-data-dir=" + profile);
        // The gateway's certificate comes from the test server's private CA, which this profile does not know.
        options.setAcceptInsecureCerts(true);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
        return new ConsoleBrowser(new ChromeDriver(service, options), profile);
    }

    void go(String url) {
        driver.get(url);
    }

    WebElement find(String css) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }

    void type(String css, String text) {
        WebElement field = find(css);
        field.clear();
        field.sendKeys(text);
    }

    void click(String css) {
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector(css))).click();
    }

    /**
     * Chooses an entry of a PrimeFaces select menu as a user does (open it, click the entry) and waits until the menu
     * shows it; a click that lands while the panel is still opening is tried again, at most three times.
     */
    void choose(String menuId, String label) {
        for (int attempt = 1; ; attempt++) {
            if (!driver.findElement(By.cssSelector("[id='" + menuId + "_panel']")).isDisplayed()) {
                click("[id='" + menuId + "']");
            }
            click("[id='" + menuId + "_items'] li[data-label='" + label + "']");
            try {
                new WebDriverWait(driver, Duration.ofSeconds(3))
                        .until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[id='" + menuId + "_label']"), label));
                return;
            } catch (org.openqa.selenium.TimeoutException e) {
                if (attempt == 3) {
                    throw new AssertionError("the menu " + menuId + " never showed '" + label + "'", e);
                }
            }
        }
    }

    /** Clicks the first element the XPath finds, once it can be clicked (rows of a table, by their text). */
    void clickXpath(String xpath) {
        wait.until(ExpectedConditions.elementToBeClickable(By.xpath(xpath))).click();
    }

    /** Waits until the CSS selector finds exactly {@code count} elements (a filtered table re-rendered by Ajax). */
    void awaitCount(String css, int count) {
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector(css), count));
    }

    /** Waits for the text; if it never comes, the failure names the page and every error message on it. */
    void awaitText(String css, String text) {
        try {
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(css), text));
        } catch (org.openqa.selenium.TimeoutException e) {
            String errors = driver.findElements(By.cssSelector(".ui-message-error, .ui-messages-error, .ui-growl-item")).stream()
                    .map(WebElement::getText).filter(t -> !t.isBlank()).toList().toString();
            throw new AssertionError("'" + text + "' never appeared in " + css + " on " + driver.getCurrentUrl() + "; messages on the page: " + errors, e);
        }
    }

    void awaitUrl(String fragment) {
        wait.until(ExpectedConditions.urlContains(fragment));
    }

    String text(String css) {
        return find(css).getText();
    }

    /** Keycloak's sign-in form: the username and password page, then (for the console) the one-time code page. */
    void signIn(String username, String password) {
        awaitUrl(Keycloak.BASE);
        type("#username", username);
        type("#password", password);
        click("#kc-login");
    }

    void enterCode(String code) {
        type("#otp", code);
        click("#kc-login");
    }

    /** Saves a screenshot for review (target/console-screenshots/DATABASE/NAME.png). */
    void screenshot(String name) throws Exception {
        Path folder = Path.of(System.getProperty("phigate.it.screenshots", "target/console-screenshots"));
        Files.createDirectories(folder);
        Files.write(folder.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
    }

    /** A screenshot with the element in view (the page scrolled to it). */
    void screenshotAt(String css, String name) throws Exception {
        driver.executeScript("arguments[0].scrollIntoView({block: 'center'})", find(css));
        screenshot(name);
    }

    String cookie(String name) {
        return driver.manage().getCookieNamed(name).getValue();
    }

    @Override
    public void close() throws Exception {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
