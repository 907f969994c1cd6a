package io.kvstore.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.testkit.redis.RedisServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The workout page in a real browser: Debian's Chromium, headless, driven through Debian's
 * ChromeDriver by Selenium, against the service on a free loopback port. Nothing is downloaded:
 * both binaries are given by path (Selenium Manager never runs) and Chromium starts with the flags
 * that keep it off the network and a new empty profile.
 *
 * <p>Tagged {@code browser}: it runs only with {@code -Pbrowser}, so {@code ./mvnw verify} passes
 * on a machine with only a JDK. Selected, missing binaries fail the class, they never skip it:
 * {@code .ci/run} installs the Debian packages {@code chromium} and {@code chromium-driver}.
 */
@Tag("browser")
class WorkoutPageBrowserTest {
  private static final Path CHROMIUM = Path.of(System.getProperty("kvstore.chromium",
      "/usr/bin/chromium"));
  private static final Path CHROMEDRIVER = Path.of(System.getProperty("kvstore.chromedriver",
      "/usr/bin/chromedriver"));
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static Path profile;
  private static ChromeDriver driver;
  private WorkoutService service;

  @BeforeAll
  static void startChromium() throws IOException {
    assertTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "the browser test needs " + CHROMIUM + " and " + CHROMEDRIVER
            + ": apt-get install -y chromium chromium-driver (.ci/run installs them)");
    // Selenium has no CDP bindings for every Chromium; the test uses WebDriver only, so the
    // "unable to find CDP implementation" notice is noise.
    java.util.logging.Logger.getLogger("org.openqa.selenium.devtools").setLevel(Level.SEVERE);
    profile = Files.createTempDirectory("kvstore-chromium-");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--user-data-dir=" + profile, "--window-size=1440,1180",
        "--force-device-scale-factor=1", "--lang=en-GB");
    options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
    ChromeDriverService chromedriver = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort()
        .build();
    driver = new ChromeDriver(chromedriver, options);
  }

  @AfterAll
  static void stopChromium() throws IOException {
    if (driver != null) {
      driver.quit();
    }
    if (profile != null) {
      try (var files = Files.walk(profile)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @AfterEach
  void stopService() {
    if (service != null) {
      service.close();
    }
  }

  @Test
  void recordsByClickPagesTheListAndShowsOneRoundTripForSixtyFourCompletions() throws IOException {
    service = WorkoutService.start(ServiceOptions.defaults().withPort(0).withInMemoryStore()
        .withLatency(Duration.ofMillis(20)));
    new ServiceClient(service).seed("ana", 63); // everything but week 16 day 4
    driver.get(service.url() + "/?user=ana");
    waitReady();
    assertEquals("63", readout("batched").getAttribute("data-completions"));

    // A bad duration comes back as the API's 400 message, readable in the dialog.
    driver.findElement(By.id("cell-16-4")).click();
    WebElement duration = visible(By.id("duration-input"));
    duration.clear();
    duration.sendKeys("0");
    driver.findElement(By.id("record-button")).click();
    WebElement error = visible(By.id("dialog-error"));
    assertEquals("durationMinutes is 0; it must be between 1 and 1440", error.getText());
    assertEquals("true", duration.getAttribute("aria-invalid"));

    // Record the last workout by clicking: the cell is marked and the page reloads its progress.
    duration.clear();
    duration.sendKeys("52");
    driver.findElement(By.id("notes-input")).sendKeys("Deload done, program finished");
    driver.findElement(By.id("record-button")).click();
    waitFor(ExpectedConditions.attributeToBe(By.id("cell-16-4"), "aria-pressed", "true"));
    waitFor(ExpectedConditions.attributeToBe(By.id("readout-batched"), "data-completions", "64"));
    WebElement batched = readout("batched");
    assertEquals("1", batched.getAttribute("data-round-trips"));
    assertTrue(batched.getText().startsWith("64 completions, 1 store round trip, "),
        batched.getText());

    // At 1280 px with every workout completed (check marks, bold names), no cell leaves the
    // card's content box (its padding is the card's margin, not room for cells).
    driver.manage().window().setSize(new Dimension(1280, 1180));
    Object spill = driver.executeScript("""
        const card = document.querySelector('.program');
        const style = getComputedStyle(card);
        const inner = card.getBoundingClientRect().right - parseFloat(style.paddingRight)
            - parseFloat(style.borderRightWidth);
        return Math.max(...[...document.querySelectorAll('.cell')]
            .map(c => c.getBoundingClientRect().right - inner));""");
    assertTrue(((Number) spill).doubleValue() <= 0.5,
        "a cell ends " + spill + " px past the program card's content at 1280 px");
    driver.manage().window().setSize(new Dimension(1440, 1180));

    // The completed list, 8 per page, walked with the API's cursors and back.
    assertEquals(List.of("W01 D1", "W01 D2", "W01 D3", "W01 D4", "W02 D1", "W02 D2", "W02 D3",
        "W02 D4"), completedTags());
    driver.findElement(By.id("next-page")).click();
    waitFor(ExpectedConditions.textToBe(By.id("page-label"), "page 2 · 8 per page"));
    assertEquals("W03 D1", completedTags().get(0));
    for (int page = 3; page <= 8; page++) {
      driver.findElement(By.id("next-page")).click();
      waitFor(ExpectedConditions.textToBe(By.id("page-label"), "page " + page + " · 8 per page"));
    }
    assertEquals("W16 D4", completedTags().get(7));
    assertTrue(!driver.findElement(By.id("next-page")).isEnabled(), "page 8 is the last");
    driver.findElement(By.id("prev-page")).click();
    waitFor(ExpectedConditions.textToBe(By.id("page-label"), "page 7 · 8 per page"));
    assertEquals("W13 D1", completedTags().get(0));

    // The keyboard: arrows move through the grid, Enter opens a done workout, Escape closes it.
    WebElement first = driver.findElement(By.id("cell-1-1"));
    first.sendKeys(Keys.ARROW_RIGHT);
    assertEquals("cell-1-2", driver.switchTo().activeElement().getAttribute("id"));
    driver.switchTo().activeElement().sendKeys(Keys.ENTER);
    visible(By.id("undo-button"));
    driver.switchTo().activeElement().sendKeys(Keys.ESCAPE);
    waitFor(ExpectedConditions.invisibilityOfElementLocated(By.id("workout-dialog")));

    // A bad user id is the API's 400, shown as a message, not a blank page.
    WebElement user = driver.findElement(By.id("user-input"));
    user.clear();
    user.sendKeys("not a user!", Keys.ENTER);
    WebElement banner = visible(By.id("banner"));
    assertEquals("error", banner.getAttribute("data-kind"));
    assertTrue(banner.getText().contains("user must be 1 to 64 characters"), banner.getText());

    // The screenshot: a user part-way through, the old way replayed beside the batched read.
    new ServiceClient(service).seed("ben", 38);
    driver.get(service.url() + "/?user=ben");
    waitReady();
    driver.findElement(By.cssSelector("label.switch")).click();
    waitFor(ExpectedConditions.attributeToBe(By.id("readout-sequential"), "data-round-trips",
        "64"));
    assertEquals("1", readout("batched").getAttribute("data-round-trips"));
    assertTrue(readout("sequential").getText().startsWith("38 completions, 64 store round trips"),
        readout("sequential").getText());
    screenshot("page.png");

    assertNoScriptErrors(List.of("status of 400"));
  }

  @Test
  void aStoreOutageShowsAsAnOutageAndThePageRecoversWithTheStore() throws IOException {
    try (RedisServer redis = RedisServer.start()) {
      service = WorkoutService.start(ServiceOptions.defaults().withPort(0).withInMemoryStore()
          .withRedis(redis.uri()));
      new ServiceClient(service).seed("cleo", 5);
      driver.get(service.url() + "/?user=cleo");
      waitReady();
      assertEquals("1", readout("batched").getAttribute("data-round-trips"));

      redis.kill();
      driver.findElement(By.id("cell-3-1")).click();
      visible(By.id("record-button")).click();
      WebElement banner = visible(By.id("banner"));
      waitFor(ExpectedConditions.attributeToBe(By.id("banner"), "data-kind", "outage"));
      assertTrue(banner.getText().contains("The workout store is unavailable; nothing was changed"),
          banner.getText());
      assertEquals("down", driver.findElement(By.id("store-status")).getAttribute("data-state"));
      screenshot("page-outage.png");

      redis.restart();
      new WebDriverWait(driver, Duration.ofSeconds(60)).until(
          ExpectedConditions.attributeToBe(By.id("banner"), "data-kind", "ok"));
      assertEquals("up", driver.findElement(By.id("store-status")).getAttribute("data-state"));
      // The restarted Redis kept nothing: the page shows what the store has now.
      waitFor(ExpectedConditions.attributeToBe(By.id("readout-batched"), "data-completions",
          "0"));
      assertEquals("1", readout("batched").getAttribute("data-round-trips"));
      assertNoScriptErrors(List.of("status of 503"));
    }
  }

  /**
   * The default, durable store across restarts of a separate service process: workouts recorded
   * (by the API and by clicking) are on the page after the service is stopped with SIGTERM and
   * started again on the same data directory, and again after {@code kill -9}.
   */
  @Test
  void workoutsRecordedBeforeSigtermAndKillNineAreOnThePageAfterARestart(@TempDir Path work)
      throws Exception {
    Path data = work.resolve("data");
    try (ServiceProcess first = serviceOn(data, work.resolve("first.log"))) {
      assertTrue(first.output().contains("Data: " + data.resolve("kvstore.db")), first.output());
      new ServiceClient(first.url()).seed("dora", 5);
      openPage(first, "dora");
      recordByClick("cell-2-2", "41");
      waitForCompletions(6, "cell-2-2");
      assertEquals(143, first.terminate(), "SIGTERM ends the JVM through its shutdown hook");
    }
    try (ServiceProcess second = serviceOn(data, work.resolve("second.log"))) {
      openPage(second, "dora");
      waitForCompletions(6, "cell-2-2");
      recordByClick("cell-2-3", "44");
      waitForCompletions(7, "cell-2-3");
      assertEquals(137, second.kill(), "SIGKILL");
    }
    try (ServiceProcess third = serviceOn(data, work.resolve("third.log"))) {
      openPage(third, "dora");
      waitForCompletions(7, "cell-2-2", "cell-2-3");
      assertEquals(List.of("W01 D1", "W01 D2", "W01 D3", "W01 D4", "W02 D1", "W02 D2",
          "W02 D3"), completedTags());
      screenshot("page-after-kill-9.png");
      assertEquals(143, third.terminate());
    }
    assertNoScriptErrors(List.of());
  }

  private static ServiceProcess serviceOn(Path data, Path log) throws Exception {
    return ServiceProcess.start(log, Duration.ofMinutes(2), "--data", data.toString());
  }

  private static void openPage(ServiceProcess service, String user) {
    driver.get(service.url() + "/?user=" + user);
    waitReady();
  }

  /** Waits until the page shows {@code count} completions, {@code cells} among them. */
  private static void waitForCompletions(int count, String... cells) {
    waitFor(ExpectedConditions.attributeToBe(By.id("readout-batched"), "data-completions",
        Integer.toString(count)));
    for (String cell : cells) {
      assertEquals("true", driver.findElement(By.id(cell)).getAttribute("aria-pressed"), cell);
    }
  }

  /** Opens a workout's dialog, types a duration and records it; waits for the cell's mark. */
  private static void recordByClick(String cell, String minutes) {
    driver.findElement(By.id(cell)).click();
    WebElement duration = visible(By.id("duration-input"));
    duration.clear();
    duration.sendKeys(minutes);
    driver.findElement(By.id("record-button")).click();
    waitFor(ExpectedConditions.attributeToBe(By.id(cell), "aria-pressed", "true"));
  }

  private static void waitReady() {
    waitFor(ExpectedConditions.attributeToBe(By.tagName("body"), "data-ready", "true"));
  }

  private static WebElement readout(String which) {
    return driver.findElement(By.id("readout-" + which));
  }

  private static WebElement visible(By by) {
    return waitFor(ExpectedConditions.visibilityOfElementLocated(by));
  }

  private static <T> T waitFor(java.util.function.Function<? super WebDriver, T> condition) {
    return new WebDriverWait(driver, WAIT).until(condition);
  }

  private static List<String> completedTags() {
    return driver.findElements(By.cssSelector("#completed-list .tag")).stream()
        .map(WebElement::getText).toList();
  }

  private static void screenshot(String name) throws IOException {
    Path target = Path.of("target", name);
    Files.createDirectories(target.getParent());
    Files.write(target, driver.getScreenshotAs(OutputType.BYTES));
  }

  /**
   * Fails on any severe browser console entry, such as an uncaught script error, except the
   * network lines Chromium logs for responses the test provoked on purpose.
   */
  private static void assertNoScriptErrors(List<String> expectedStatuses) {
    List<String> severe = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
        .map(LogEntry::getMessage)
        .filter(m -> !(m.contains("Failed to load resource")
            && expectedStatuses.stream().anyMatch(m::contains)))
        .toList();
    assertEquals(List.of(), severe, "browser console errors");
  }
}
