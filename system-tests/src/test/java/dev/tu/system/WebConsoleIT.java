package dev.tu.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tu.testsupport.Photos;
import dev.tu.testsupport.Service;
import dev.tu.testsupport.Suite;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real web console in headless Chromium (Debian's chromium and chromedriver) against the running
 * suite: log in on Keycloak's page (authorization code + PKCE); upload two real photographs at once,
 * each with its own progress, and see both analyses arrive in the list without reloading (subscription);
 * open one and find its object and text boxes, its EXIF values and quality verdict; drop a photo on the
 * drop zone; be told in words when a file is not a photo; no serious or critical axe-core violation on
 * the list and the detail; the keyboard reaches the upload control, opens a row and re-analyses.
 *
 * <p>Every test leaves a screenshot in target/ ({@code web-console-<test>.png}, also when it fails);
 * the detail view with its boxes is {@code target/web-console.png}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebConsoleIT {

    private static final Path TARGET = Path.of("target");
    private static final Path SCREENSHOT = TARGET.resolve("web-console.png");
    /** Installed by web-console/build.sh (npm ci), pinned in web-console/package.json. */
    private static final Path AXE = Path.of("..", "web-console", "node_modules", "axe-core", "axe.min.js");
    private static final JsonMapper json = JsonMapper.builder().build();
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    /** A car, people and a NOTICE sign (Canon PowerShot S50, sharp): objects, text and a "usable" verdict. */
    private static final String STREET = "console-" + RUN + "-street.jpg";
    private static final String GENERATOR = "console-" + RUN + "-generator.jpg";
    private static final String DROPPED = "console-" + RUN + "-dropped.jpg";

    private static ChromeDriver browser;
    private static String console;
    private static Path photos;

    /** A screenshot after every test, passed or failed: the artefact a person looks at when it broke. */
    @RegisterExtension
    static final AfterTestExecutionCallback screenshots = context -> {
        if (browser == null) {
            return;
        }
        String outcome = context.getExecutionException().isPresent() ? "-FAILED" : "";
        Files.createDirectories(TARGET);
        Files.write(TARGET.resolve("web-console-" + context.getRequiredTestMethod().getName() + outcome + ".png"),
                browser.getScreenshotAs(OutputType.BYTES));
    };

    @BeforeAll
    static void openTheBrowser() throws Exception {
        console = Suite.shared().get(Service.API_GATEWAY).baseUri().resolve("/console/").toString();
        photos = Files.createTempDirectory("tu-console");
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,1000");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().implicitlyWait(Duration.ZERO);
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
    }

    @AfterAll
    static void closeTheBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    @Order(1)
    void signInOnKeycloaksPageWithPkce() {
        browser.get(console);
        click(By.xpath("//button[normalize-space()='Sign in with Keycloak']"));

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
    }

    @Test
    @Order(2)
    void twoPhotosAtOnceEachWithItsProgressAndItsAnalysisArrivingLive() throws Exception {
        long pageId = pageInstance();
        browser.findElement(By.cssSelector("input[placeholder='e.g. GEN-125']")).sendKeys("GEN-125");
        // Both files in one selection, as a person picks several in the file dialog.
        browser.findElement(By.id("photo-input")).sendKeys(write(STREET, "street-sign-car-people.jpg") + "\n"
                + write(GENERATOR, "generator-sign.jpg"));

        for (String name : List.of(STREET, GENERATOR)) {
            By upload = uploadRow(name);
            awaitPage(name + " uploaded").atMost(Duration.ofSeconds(30))
                    .until(() -> text(upload).contains("Uploaded: analysis on its way"));
            List<WebElement> progress = browser.findElement(upload).findElements(By.tagName("progress"));
            assertThat(progress).as("one progress bar for " + name).hasSize(1);
            assertThat(progress.getFirst().getAccessibleName()).isEqualTo("Upload progress of " + name);
            assertThat(progress.getFirst().getDomProperty("value")).as("complete").isEqualTo("1");
        }
        assertThat(browser.findElements(By.cssSelector(".uploads progress"))).as("one per file, no more").hasSize(2);

        for (String name : List.of(STREET, GENERATOR)) {
            awaitPage(name + "'s analysis arrives without a reload").atMost(Duration.ofSeconds(150))
                    .until(() -> "COMPLETED".equals(attribute(imageRow(name), "data-status")));
        }
        // The status change comes first over the subscription; the row then re-reads its findings.
        awaitPage("the findings fill the rows").atMost(Duration.ofSeconds(10))
                .until(() -> text(imageRow(GENERATOR)).contains("GM125") && text(imageRow(STREET)).contains("car"));
        assertThat(text(imageRow(STREET))).contains("Analysed", "GEN-125", "NOTICE", "Usable");
        assertThat(pageInstance()).as("the page was not reloaded").isEqualTo(pageId);
    }

    @Test
    @Order(3)
    void theDetailDrawsTheBoxesAndShowsTheExifValuesAndTheVerdict() throws Exception {
        browser.findElement(imageRow(STREET)).findElement(By.tagName("button")).click();
        By objects = By.cssSelector(".detail svg.overlay g.box-object");
        awaitPage("the photo with its boxes").atMost(Duration.ofSeconds(20)).until(() -> !browser.findElements(objects).isEmpty());
        assertThat(browser.findElement(By.cssSelector(".detail img")).getDomProperty("naturalWidth")).isEqualTo("800");

        // The estate car stands in the lower middle of the 800×600 photo (RealPhotoAnalysisTest): its box is
        // drawn there, in the photo's pixels.
        WebElement car = browser.findElement(By.cssSelector(".detail svg.overlay g.box-object[data-label='car'] rect"));
        assertThat(Integer.parseInt(car.getDomAttribute("x"))).isBetween(300, 500);
        assertThat(Integer.parseInt(car.getDomAttribute("y"))).isBetween(350, 500);
        assertThat(Integer.parseInt(car.getDomAttribute("width"))).isBetween(200, 400);
        assertThat(browser.findElements(By.cssSelector(".detail svg.overlay g.box-object[data-label='person'] rect"))).isNotEmpty();
        assertThat(browser.findElements(By.cssSelector(".detail svg.overlay g.box-text rect"))).isNotEmpty();
        assertThat(browser.findElement(By.cssSelector(".detail svg.overlay")).getDomAttribute("aria-label"))
                .matches("[1-9]\\d* objects, [1-9]\\d* text regions, \\d+ faces");

        assertThat(browser.findElement(By.cssSelector("[data-testid='detail-verdict']")).getText()).isEqualTo("Usable");
        // The photo's own EXIF (SOURCES.md: Canon PowerShot S50, 2004:08:16 13:23:49, Orientation 1, no GPS).
        assertThat(exif("Camera")).isEqualTo("Canon Canon PowerShot S50");
        assertThat(exif("Captured")).startsWith("2004-08-16T");
        assertThat(exif("Orientation (applied before analysis)")).isEqualTo("1");
        assertThat(browser.findElements(By.xpath("//dl[@data-testid='detail-exif']/div/dt[normalize-space()='GPS position']")))
                .as("no GPS in this photo").isEmpty();
        WebElement detail = browser.findElement(By.cssSelector(".detail"));
        assertThat(detail.getText()).contains("Findings", "NOTICE", "PARKING", "Re-analyse");
        ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView()", detail);

        Files.createDirectories(TARGET);
        Files.write(SCREENSHOT, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        assertThat(Files.size(SCREENSHOT)).isGreaterThan(10_000);
        assertThat(browser.findElements(By.cssSelector(".banner[role='alert'], .detail [role='alert']")))
                .as("no error shown").isEmpty();
    }

    @Test
    @Order(4)
    void aPhotoDroppedOnTheDropZoneIsUploaded() {
        // What the browser hands the page when a file is dropped: a drop event whose DataTransfer holds a File.
        ((JavascriptExecutor) browser).executeScript("""
                const [base64, name] = arguments;
                const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
                const files = new DataTransfer();
                files.items.add(new File([bytes], name, { type: 'image/jpeg' }));
                const zone = document.querySelector("[data-testid='drop-zone']");
                zone.dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: files }));
                zone.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: files }));
                """, Base64.getEncoder().encodeToString(Photos.load("car-plate-gps-iphone.jpg")), DROPPED);

        awaitPage("the dropped photo uploaded").atMost(Duration.ofSeconds(30))
                .until(() -> text(uploadRow(DROPPED)).contains("Uploaded: analysis on its way"));
        awaitPage("the dropped photo's analysis in the list").atMost(Duration.ofSeconds(150))
                .until(() -> "COMPLETED".equals(attribute(imageRow(DROPPED), "data-status")));
        assertThat(browser.findElement(By.cssSelector("[data-testid='drop-zone']")).getDomAttribute("class"))
                .as("the drop highlight is gone").isEqualTo("drop");
    }

    @Test
    @Order(5)
    void aFileThatIsNotAPhotoIsRefusedInWordsAndMakesNoRow() throws Exception {
        String notes = "console-" + RUN + "-notes.txt";
        String disguised = "console-" + RUN + "-notes.jpg";
        Path text = Files.writeString(photos.resolve(notes), "this is not a photo");
        Path fake = Files.writeString(photos.resolve(disguised), "this is not a photo either");
        browser.findElement(By.id("photo-input")).sendKeys(text + "\n" + fake);

        // The console refuses the text file itself: nothing is sent, so there is no progress to show.
        awaitPage("the console's refusal shown").atMost(Duration.ofSeconds(10))
                .until(() -> !browser.findElements(uploadRow(notes)).isEmpty());
        WebElement refused = browser.findElement(uploadRow(notes)).findElement(By.cssSelector("[role='alert']"));
        assertThat(refused.isDisplayed()).isTrue();
        assertThat(refused.getText()).isEqualTo(notes + " was not uploaded: it is a text/plain file, not a JPEG or PNG photo.");
        assertThat(browser.findElement(uploadRow(notes)).findElements(By.tagName("progress"))).isEmpty();

        // A text file named .jpg goes to the server, which checks the content and says why it refuses it.
        awaitPage("the server's refusal shown").atMost(Duration.ofSeconds(30))
                .until(() -> !browser.findElement(uploadRow(disguised)).findElements(By.cssSelector("[role='alert']")).isEmpty());
        WebElement serverRefusal = browser.findElement(uploadRow(disguised)).findElement(By.cssSelector("[role='alert']"));
        assertThat(serverRefusal.isDisplayed()).isTrue();
        assertThat(serverRefusal.getText()).startsWith(disguised + " was refused: ")
                .contains("not a JPEG or PNG image (checked by its content");

        assertThat(browser.findElements(imageRow(notes))).as("no image row for the text file").isEmpty();
        assertThat(browser.findElements(imageRow(disguised))).as("no image row for the refused file").isEmpty();
        assertThat(browser.findElements(By.cssSelector(".banner[role='alert']"))).as("no page-wide error").isEmpty();
    }

    @Test
    @Order(6)
    void axeFindsNoSeriousOrCriticalViolationOnTheListOrTheDetail() throws Exception {
        click(By.xpath("//section[contains(@class,'detail')]//button[normalize-space()='Close']"));
        awaitPage("the list alone").atMost(Duration.ofSeconds(5)).until(() -> browser.findElements(By.cssSelector(".detail")).isEmpty());
        assertThat(seriousViolations()).as("list view").isEmpty();

        browser.findElement(imageRow(STREET)).findElement(By.tagName("button")).click();
        awaitPage("the detail with its boxes").atMost(Duration.ofSeconds(20))
                .until(() -> !browser.findElements(By.cssSelector(".detail svg.overlay rect")).isEmpty());
        assertThat(seriousViolations()).as("detail view").isEmpty();
    }

    @Test
    @Order(7)
    void theKeyboardReachesTheUploadControlOpensARowAndReanalyses() {
        JavascriptExecutor js = browser;
        js.executeScript("document.querySelector('header button').focus()");
        assertThat(tabUntil(active -> "photo-input".equals(active.getDomAttribute("id")), 5))
                .as("Tab from the top reaches the file input").isTrue();

        assertThat(tabUntil(active -> ("Open " + GENERATOR).equals(active.getDomAttribute("aria-label")), 80))
                .as("Tab reaches the row's open button").isTrue();
        press(Keys.ENTER);
        awaitPage("Enter opened the detail").atMost(Duration.ofSeconds(10))
                .until(() -> browser.findElement(By.id("detail-title")).getText().equals(GENERATOR));
        assertThat(browser.switchTo().activeElement().getDomAttribute("id")).as("focus moved to the detail").isEqualTo("detail-title");

        assertThat(tabUntil(active -> "Re-analyse".equals(active.getText()), 10)).as("Tab reaches Re-analyse").isTrue();
        press(Keys.ENTER);
        WebElement detail = browser.findElement(By.cssSelector(".detail"));
        awaitPage("the re-analysis is acknowledged").atMost(Duration.ofSeconds(20))
                .until(() -> detail.getText().contains("Re-analysis requested"));
        awaitPage("the new attempt completes live").atMost(Duration.ofSeconds(150)).until(() ->
                browser.findElement(By.cssSelector("[data-testid='detail-status']")).getText().matches("Analysed, attempt [2-9]"));
        assertThat(browser.findElements(By.cssSelector(".banner[role='alert'], .detail [role='alert']")))
                .as("no error shown").isEmpty();
    }

    /** axe-core (the version web-console pins) on the page as it is now: violations of impact serious or critical. */
    private static List<String> seriousViolations() throws Exception {
        assertThat(AXE).as("axe-core is installed by building web-console (npm ci)").exists();
        JavascriptExecutor js = browser;
        if (!Boolean.TRUE.equals(js.executeScript("return typeof window.axe === 'object'"))) {
            js.executeScript(Files.readString(AXE));
        }
        Object answer = js.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                axe.run(document, { resultTypes: ['violations'] })
                  .then((results) => done(JSON.stringify({
                    passes: results.passes.map((rule) => rule.id),
                    violations: results.violations.map((v) => ({
                      id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) })) })))
                  .catch((error) => done(JSON.stringify({ error: String(error) })));
                """);
        JsonNode results = json.readTree(String.valueOf(answer));
        JsonNode violations = results.path("violations");
        assertThat(violations.isArray()).as("axe ran: " + results).isTrue();
        // A check that looked at nothing would also find nothing: these rules must have had elements to pass.
        assertThat(results.path("passes").valueStream().map(JsonNode::asString))
                .contains("color-contrast", "label", "button-name", "document-title", "html-has-lang");
        System.out.printf("axe: %d rules passed, %d violated%n", results.path("passes").size(), violations.size());
        // Minor and moderate findings are not failures; printed so a person can see them in the test report.
        violations.forEach(v -> System.out.println("axe " + v.path("impact").asString() + ": " + v));
        return violations.valueStream()
                .filter(v -> List.of("serious", "critical").contains(v.path("impact").asString()))
                .map(JsonNode::toString).toList();
    }

    /** The value the detail's EXIF list gives for {@code name}. */
    private static String exif(String name) {
        return browser.findElement(By.xpath("//dl[@data-testid='detail-exif']/div[dt[normalize-space()='" + name + "']]/dd"))
                .getText();
    }

    /** Presses Tab until the focused element matches, at most {@code limit} times. */
    private static boolean tabUntil(Predicate<WebElement> focused, int limit) {
        for (int i = 0; i < limit; i++) {
            press(Keys.TAB);
            if (focused.test(browser.switchTo().activeElement())) {
                return true;
            }
        }
        return false;
    }

    /**
     * A key press on whatever has the focus, as a person types it. Not WebElement.sendKeys: on a file input
     * that means "choose this file".
     */
    private static void press(Keys key) {
        new Actions(browser).sendKeys(key).perform();
    }

    private static String write(String name, String photo) throws Exception {
        return Files.write(photos.resolve(name), Photos.load(photo)).toAbsolutePath().toString();
    }

    private static By uploadRow(String name) {
        return By.cssSelector(".uploads li[data-file='" + name + "']");
    }

    private static By imageRow(String name) {
        return By.xpath("//tr[.//button[@aria-label='Open " + name + "']]");
    }

    private static String text(By locator) {
        List<WebElement> found = browser.findElements(locator);
        return found.isEmpty() ? "" : found.getFirst().getText();
    }

    private static String attribute(By locator, String name) {
        List<WebElement> found = browser.findElements(locator);
        return found.isEmpty() ? null : found.getFirst().getDomAttribute(name);
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
    private static ConditionFactory awaitPage(String alias) {
        return Awaitility.await(alias).ignoreExceptionsInstanceOf(StaleElementReferenceException.class);
    }
}
