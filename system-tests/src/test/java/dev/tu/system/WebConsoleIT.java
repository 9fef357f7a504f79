package dev.tu.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tu.testsupport.Photos;
import dev.tu.testsupport.Service;
import dev.tu.testsupport.Suite;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The real web console in headless Chromium (Debian's chromium and chromedriver) against the running
 * suite: log in on Keycloak's page (authorization code + PKCE), upload a real photograph, see its
 * analysis arrive in the list without reloading (subscription), open it and find the boxes drawn over
 * the photo. The screenshot stays in target/ as the artefact.
 */
class WebConsoleIT {

    private static final Path SCREENSHOT = Path.of("target", "web-console.png");
    private static ChromeDriver browser;
    private static String console;

    @BeforeAll
    static void openTheBrowser() {
        console = Suite.shared().get(Service.API_GATEWAY).baseUri().resolve("/console/").toString();
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,1000");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().implicitlyWait(Duration.ZERO);
    }

    @AfterAll
    static void closeTheBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void logInUploadWatchTheAnalysisArriveAndSeeTheBoxes() throws Exception {
        browser.get(console);
        click(By.xpath("//button[normalize-space()='Sign in with Keycloak']"));

        // Keycloak's own login page.
        awaitPage("Keycloak's login page").atMost(Duration.ofSeconds(20)).until(() -> !browser.findElements(By.id("username")).isEmpty());
        assertThat(browser.getCurrentUrl()).contains("/realms/tu/").contains("code_challenge_method=S256");
        browser.findElement(By.id("username")).sendKeys("alice");
        browser.findElement(By.id("password")).sendKeys("dev-only-alice");
        browser.findElement(By.id("kc-login")).click();

        awaitPage("back in the console, signed in").atMost(Duration.ofSeconds(20))
                .until(() -> browser.getPageSource().contains("Signed in as"));
        assertThat(browser.findElement(By.tagName("header")).getText()).contains("alice");
        awaitPage("live updates connected").atMost(Duration.ofSeconds(20))
                .until(() -> browser.findElement(By.cssSelector(".live")).getText().startsWith("Live"));
        long pageId = pageInstance();

        // A real photograph, under a name of its own so its row is easy to find among the tenant's images.
        String name = "console-" + UUID.randomUUID().toString().substring(0, 8) + ".jpg";
        Path photo = Files.createTempDirectory("tu-console").resolve(name);
        Files.write(photo, Photos.load("generator-sign.jpg"));
        browser.findElement(By.cssSelector("input[aria-label='Machine (asset id, optional)'], input[placeholder='e.g. GEN-125']"))
                .sendKeys("GEN-125");
        browser.findElement(By.id("photo-input")).sendKeys(photo.toAbsolutePath().toString());

        awaitPage("the upload reports success").atMost(Duration.ofSeconds(30))
                .until(() -> browser.findElement(By.cssSelector(".uploads")).getText().contains("Uploaded"));
        By row = By.xpath("//tr[.//button[@aria-label='Open " + name + "']]");
        awaitPage("the analysis arrives in the list without a reload").atMost(Duration.ofSeconds(150))
                .until(() -> !browser.findElements(row).isEmpty()
                        && "COMPLETED".equals(browser.findElement(row).getDomAttribute("data-status")));
        // The status change comes first over the subscription; the row then re-reads its findings.
        awaitPage("the findings fill the row").atMost(Duration.ofSeconds(10))
                .until(() -> browser.findElement(row).getText().contains("GM125"));
        assertThat(browser.findElement(row).getText()).contains("Analysed");
        assertThat(pageInstance()).as("the page was not reloaded").isEqualTo(pageId);

        browser.findElement(row).findElement(By.tagName("button")).click();
        By boxes = By.cssSelector(".detail svg.overlay rect");
        awaitPage("the photo with its boxes").atMost(Duration.ofSeconds(20)).until(() -> !browser.findElements(boxes).isEmpty());
        List<WebElement> rects = browser.findElements(boxes);
        assertThat(rects).isNotEmpty();
        assertThat(browser.findElements(By.cssSelector(".detail svg.overlay .box-text rect"))).isNotEmpty();
        assertThat(browser.findElement(By.cssSelector(".detail img")).getDomProperty("naturalWidth")).isNotEqualTo("0");
        WebElement detail = browser.findElement(By.cssSelector(".detail"));
        assertThat(detail.getText()).contains("Quality verdict", "EXIF facts", "GM125", "Re-analyse");
        ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView()", detail);

        Files.createDirectories(SCREENSHOT.getParent());
        Files.write(SCREENSHOT, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        assertThat(Files.size(SCREENSHOT)).isGreaterThan(10_000);

        // Re-analyse: the status follows the new attempt live.
        click(By.xpath("//button[normalize-space()='Re-analyse']"));
        awaitPage("the re-analysis is acknowledged").atMost(Duration.ofSeconds(20))
                .until(() -> detail.getText().contains("Re-analysis requested"));
        awaitPage("the new attempt completes").atMost(Duration.ofSeconds(150)).until(() ->
                browser.findElement(By.cssSelector("[data-testid='detail-status']")).getText().matches("Analysed, attempt [2-9]"));
        assertThat(browser.findElements(By.cssSelector("[role='alert']"))).as("no error shown").isEmpty();
    }

    /** A value set on the page's window: it only survives while the page is not reloaded. */
    private static long pageInstance() {
        JavascriptExecutor js = browser;
        return ((Number) js.executeScript("return window.__tuPage || (window.__tuPage = Date.now())")).longValue();
    }

    private static void click(By locator) {
        awaitPage("element on the page").atMost(Duration.ofSeconds(20)).until(() -> !browser.findElements(locator).isEmpty());
        browser.findElement(locator).click();
    }

    /** Waits on the page; React re-renders rows, so an element found a moment ago may be stale: look again. */
    private static org.awaitility.core.ConditionFactory awaitPage(String alias) {
        return org.awaitility.Awaitility.await(alias)
                .ignoreExceptionsInstanceOf(org.openqa.selenium.StaleElementReferenceException.class);
    }
}
