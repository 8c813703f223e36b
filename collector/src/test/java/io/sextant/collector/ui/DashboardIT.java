package io.sextant.collector.ui;

import com.fasterxml.jackson.databind.JsonNode;
import io.sextant.collector.Collector;
import io.sextant.collector.api.Selector;
import io.sextant.collector.config.CollectorConfig;
import io.sextant.collector.support.Http;
import io.sextant.collector.support.TestAgent;
import io.sextant.protocol.FrameWriter;
import io.sextant.protocol.InferenceEncoder;
import io.sextant.protocol.LabelsEncoder;
import io.sextant.protocol.LogLevel;
import io.sextant.protocol.MessageType;
import io.sextant.protocol.Outcome;
import io.sextant.protocol.PredictionKind;
import io.sextant.protocol.SeriesKind;
import io.sextant.protocol.WireWriter;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import com.sun.net.httpserver.HttpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.sextant.collector.support.Http.enc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The dashboard in a real browser: Debian's headless Chromium driven through chromedriver, against a
 * real collector (temporary journal) fed over loopback by two agents speaking the binary protocol.
 * Every page must load without console errors, its charts must be drawn with data, the series explorer
 * must draw the series picked in its list, an incident must open with its causes and an approval must
 * change the action's state. Screenshots of every page go to target/screenshots/.
 *
 * <p>The incident is the collector's own: after ten quiet minutes the checkout agent restarts (a new
 * session: a change event) and its heap and request latency step up, live; the metric stage finds the
 * anomalies, the correlation stage groups them with the restart and ranks causes, and a real rule file
 * (approval required, a webhook to this test) creates the pending action the page approves. A second
 * fault, sent while a page is open with polling off, must appear through the event stream.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardIT
{
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final double CHECKOUT_HEAP = 400e6;
    private static final double PAYMENTS_HEAP = 150e6;
    private static final String RULE = "checkout-incident-page";
    /** The model page of a model that does not exist (asked for on purpose) answers 404, which Chrome logs. */
    private static final Pattern UNKNOWN_MODEL = Pattern.compile(
        "^http://127\\.0\\.0\\.1:\\d+/api/v1/models/fraud-scorer" +
        "(/\\S*)?(\\?\\S*)? - Failed to load resource: the server responded with a status of 404 \\(Not Found\\)$");

    private Path dataDir;
    private Path profileDir;
    private Collector collector;
    private Path rules;
    private HttpServer webhook;
    private final List<String> webhookCalls = new java.util.concurrent.CopyOnWriteArrayList<>();
    private UUID checkoutId;
    private UUID paymentsId;
    private String incidentId;
    private String pendingAction;
    private JsonNode heapSeries;
    private TestAgent checkout;
    private TestAgent payments;
    private long checkoutSequence;
    private long paymentsSequence;
    private ChromeDriverService service;
    private WebDriver driver;
    private String base;
    private String heapSelector;
    private final List<String> consoleErrors = new ArrayList<>();

    @BeforeAll
    void start() throws Exception
    {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
            "DashboardIT needs Debian's Chromium and its driver (/usr/bin/chromium, /usr/bin/chromedriver): " +
            "apt-get install -y chromium chromium-driver (.ci/run does this)");
        dataDir = Files.createTempDirectory("sextant-dashboard-journal");
        profileDir = Files.createTempDirectory("sextant-dashboard-chromium");
        final long now = System.currentTimeMillis() / 1000 * 1000;
        final long start = now - 600_000;
        // A real rule file: every checkout incident asks for approval before a webhook (this test) is called.
        webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhook.createContext("/hook", exchange ->
        {
            webhookCalls.add(exchange.getRequestHeaders().getFirst("X-Sextant-Action") + " " +
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        webhook.start();
        rules = dataDir.resolveSibling(dataDir.getFileName() + "-rules.json");
        Files.writeString(rules, "{\"rules\": [{\"name\": \"" + RULE + "\", " +
            "\"match\": {\"kind\": \"incident\", \"service\": \"checkout\"}, " +
            "\"action\": {\"type\": \"webhook\", \"url\": \"http://127.0.0.1:" + webhook.getAddress().getPort() +
            "/hook\", \"timeout\": \"5s\"}, \"dryRun\": false, \"approval\": \"required\"}]}");
        collector = new Collector(CollectorConfig.of(Map.of(
            "data-dir", dataDir.toString(), "ingest-port", "0", "otlp-port", "0", "http-port", "0",
            "bind-address", "127.0.0.1", "ring-size", "16MiB", "remediation-rules", rules.toString(), "model-window", "10s",
            // The test agents send no heartbeats; keep their connections (and services) up for the whole class.
            "heartbeat-interval", "10m")), m -> System.out.println("[collector] " + m))
            .start();
        Http.await(collector.httpPort(), "/readyz", a -> a.status() == 200, WAIT);

        checkoutId = UUID.randomUUID();
        paymentsId = UUID.randomUUID();
        checkout = new TestAgent(collector.ingestPort(), checkoutId, 1);
        payments = new TestAgent(collector.ingestPort(), paymentsId, 2);
        feed(checkout, "checkout", start, now, CHECKOUT_HEAP);
        paymentsSequence = feed(payments, "payments", start, now, PAYMENTS_HEAP);
        heapSeries = Http.await(collector.httpPort(), "/api/v1/series?match=" +
            enc("jvm.memory.used{service=\"checkout\"}"), a -> a.status() == 200 && a.json().at("/data").size() > 0,
            WAIT).json().at("/data/0");
        heapSelector = selector(heapSeries);
        Http.await(collector.httpPort(), "/api/v1/query_range?query=" + enc(heapSelector) + "&start=" +
            (start / 1000) + "&end=" + (now / 1000) + "&step=10s", a -> a.status() == 200 &&
            a.json().at("/data/result/0/values").size() >= 50, WAIT);
        Http.await(collector.httpPort(), "/api/v1/logs?text=payment", a -> a.status() == 200 &&
            a.json().at("/data").size() >= 20, WAIT);

        // The fault: checkout restarts (a new agent session, which the metric stage reports as a change), then
        // its heap and latency step up, live, until the collector has an incident with ranked causes and the
        // rule's action waits for approval.
        checkout.close();
        checkout = new TestAgent(collector.ingestPort(), checkoutId, 3);
        checkout.handshake("checkout", "");
        defineSeries(checkout);
        checkoutSequence = 0;
        final long restarted = System.currentTimeMillis();
        final long[] seq = {0};
        final JsonNode pending = sendUntil("a checkout incident with causes and a pending action", () ->
        {
            final long t = Math.max(System.currentTimeMillis(), restarted + 1000);
            checkout.metrics(++seq[0], 0, t, new int[] {1, 2}, new long[] {t, t},
                new double[] {heapBaseline(start, t, CHECKOUT_HEAP) * 2.3, 1.9});
            checkout.awaitAck(seq[0]);
            return pendingActionWithCauses("checkout", restarted - 60_000);
        });
        checkoutSequence = seq[0];
        pendingAction = pending.path("id").asText();
        incidentId = pending.path("incident").asText();
        System.out.println("[test] incident " + incidentId + ": " + Http.get(collector.httpPort(), "/api/v1/incidents/" +
            enc(incidentId)).body());
        System.out.println("[test] changes: " + Http.get(collector.httpPort(), "/api/v1/changes").body());
        System.out.println("[test] incidents: " + Http.get(collector.httpPort(), "/api/v1/incidents?state=all").body());

        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        final ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", "--window-size=1400,1000", "--user-data-dir=" + profileDir);
        final LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
            .build();
        driver = new ChromeDriver(service, options);
        base = "http://127.0.0.1:" + collector.httpPort();
        Files.createDirectories(SCREENSHOTS);
    }

    /**
     * Sends ten minutes of one-second samples (heap with a step up after seven minutes, request
     * latency) and forty log records from one agent; returns the last sequence used.
     */
    private static long feed(final TestAgent agent, final String service, final long start, final long end,
        final double heap) throws IOException
    {
        agent.handshake(service, "");
        defineSeries(agent);
        long seq = 0;
        final int perFrame = 60;
        for (long t = start; t <= end; t += perFrame * 1000L)
        {
            final int n = (int)Math.min(perFrame, (end - t) / 1000 + 1);
            final int[] ids = new int[2 * n];
            final long[] times = new long[2 * n];
            final double[] values = new double[2 * n];
            for (int i = 0; i < n; i++)
            {
                final long time = t + i * 1000L;
                final double phase = (time - start) / 1000.0;
                ids[2 * i] = 1;
                times[2 * i] = time;
                values[2 * i] = heapBaseline(start, time, heap);
                ids[2 * i + 1] = 2;
                times[2 * i + 1] = time;
                values[2 * i + 1] = 0.2 + 0.05 * Math.cos(phase / 17);
            }
            agent.metrics(++seq, 0, t, ids, times, values);
        }
        for (int i = 0; i < 20; i++)
        {
            final long nanos = (start + i * 30_000L) * 1_000_000L;
            agent.log(++seq, nanos, LogLevel.INFO, "com.shop." + service, "user " + (1000 + i) + " logged in");
            agent.log(++seq, nanos + 1_000_000, LogLevel.ERROR, "com.shop." + service,
                "payment failed for order " + (42 + i));
        }
        agent.awaitAck(seq);
        return seq;
    }

    private static void defineSeries(final TestAgent agent) throws IOException
    {
        agent.define(1, SeriesKind.GAUGE, "jvm.memory.used", "bytes", "area", "heap");
        agent.define(2, SeriesKind.GAUGE, "http.server.latency", "seconds", "route", "/pay");
    }

    /** What one step of a live fault does: send a sample, then say whether the collector shows the result. */
    private interface Step
    {
        JsonNode sendAndCheck() throws IOException;
    }

    /**
     * Sends samples (about one a second, as an agent would) until the step finds what it waits for in the API;
     * fails after a deadline.
     */
    private static JsonNode sendUntil(final String what, final Step step) throws Exception
    {
        final long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() - deadline < 0)
        {
            final long sent = System.nanoTime();
            final JsonNode found = step.sendAndCheck();
            if (found != null)
            {
                return found;
            }
            while (System.nanoTime() - sent < Duration.ofSeconds(1).toNanos())
            {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("not within 90 s: " + what);
    }

    /** A PENDING_APPROVAL action on an incident of the service that has ranked causes, or null. */
    private JsonNode pendingActionWithCauses(final String service, final long notBeforeMillis) throws IOException
    {
        for (final JsonNode a : Http.get(collector.httpPort(), "/api/v1/actions?state=PENDING_APPROVAL").json()
            .path("data"))
        {
            final String incident = a.path("incident").asText();
            final JsonNode detail = Http.get(collector.httpPort(), "/api/v1/incidents/" + enc(incident)).json()
                .path("data");
            final JsonNode causes = Http.get(collector.httpPort(), "/api/v1/incidents/" + enc(incident) + "/causes")
                .json().path("data");
            // An incident the detectors raised on the quiet history (a false alarm there) is not the fault's.
            if (detail.path("services").toString().contains(service) && causes.size() > 0 &&
                detail.path("start").asDouble() * 1000 >= notBeforeMillis)
            {
                return a;
            }
        }
        return null;
    }

    /** The heap the agents report at a time: a slow wave around the given level. */
    private static double heapBaseline(final long start, final long time, final double heap)
    {
        return heap * (1 + 0.1 * Math.sin((time - start) / 1000.0 / 30));
    }

    /** A selector naming exactly one series, from its /api/v1/series entry. */
    private static String selector(final JsonNode series)
    {
        final StringBuilder s = new StringBuilder(series.get("name").asText()).append('{');
        final List<String> names = new ArrayList<>();
        series.get("labels").fieldNames().forEachRemaining(names::add);
        names.sort(Comparator.naturalOrder());
        for (int i = 0; i < names.size(); i++)
        {
            s.append(i == 0 ? "" : ",").append(names.get(i)).append("=\"")
                .append(series.get("labels").get(names.get(i)).asText().replace("\\", "\\\\").replace("\"", "\\\""))
                .append('"');
        }
        final String text = s.append('}').toString();
        Selector.parse("selector", text); // a test bug would show here, not as a blank chart
        return text;
    }

    @AfterAll
    void stop() throws IOException
    {
        if (driver != null)
        {
            driver.quit();
        }
        if (service != null)
        {
            service.stop();
        }
        for (final TestAgent a : new TestAgent[] {checkout, payments})
        {
            if (a != null)
            {
                a.close();
            }
        }
        if (collector != null)
        {
            collector.close();
        }
        if (webhook != null)
        {
            webhook.stop(0);
        }
        if (rules != null)
        {
            Files.deleteIfExists(rules);
        }
        for (final Path dir : new Path[] {dataDir, profileDir})
        {
            if (dir != null)
            {
                try (Stream<Path> files = Files.walk(dir))
                {
                    files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
                }
            }
        }
    }

    // ----------------------------------------------------------------------------------------------

    private <T> T await(final String what, final Function<WebDriver, T> condition)
    {
        // Sections re-render when their data changes: an element found a moment ago may be replaced.
        return new WebDriverWait(driver, WAIT, Duration.ofMillis(100)).withMessage(what)
            .ignoring(StaleElementReferenceException.class).until(condition);
    }

    /** Clicks the first element matching css that satisfies the filter, retrying if it is replaced meanwhile. */
    private void click(final String what, final String css, final java.util.function.Predicate<WebElement> filter)
    {
        await("click " + what, d ->
        {
            for (final WebElement e : d.findElements(By.cssSelector(css)))
            {
                if (filter.test(e))
                {
                    e.click();
                    return true;
                }
            }
            return false;
        });
    }

    /** Opens a page (hash route) with a one-second poll and waits until its first refresh is done. */
    private void open(final String route)
    {
        driver.get(base + "/?poll=1000#/" + route);
        final String page = route.isEmpty() ? "overview" : route.replaceAll("[/?].*", "");
        await("page " + route + " loaded", d -> "true".equals(attribute("#view", "data-loaded")) &&
            page.equals(attribute("#view", "data-page")));
    }

    private String attribute(final String css, final String name)
    {
        final List<WebElement> found = driver.findElements(By.cssSelector(css));
        return found.isEmpty() ? null : found.get(0).getAttribute(name);
    }

    private Object js(final String script, final Object... args)
    {
        return ((JavascriptExecutor)driver).executeScript(script, args);
    }

    private String text(final String css)
    {
        return driver.findElement(By.cssSelector(css)).getText();
    }

    private void screenshot(final String name) throws IOException
    {
        final byte[] png = ((TakesScreenshot)driver).getScreenshotAs(OutputType.BYTES);
        Files.write(SCREENSHOTS.resolve(name + ".png"), png);
    }

    /** Browser console errors since the last call, except the 404s of the unknown model's page. */
    private List<String> newConsoleErrors()
    {
        return newConsoleErrors(null);
    }

    /** As {@link #newConsoleErrors()}, also allowing messages that match expected (a 404 the test asked for). */
    private List<String> newConsoleErrors(final Pattern expected)
    {
        final List<String> errors = new ArrayList<>();
        for (final LogEntry e : driver.manage().logs().get(LogType.BROWSER))
        {
            System.out.println("[browser] " + e.getLevel() + " " + e.getMessage());
            if (e.getLevel().intValue() >= Level.SEVERE.intValue() && !UNKNOWN_MODEL.matcher(e.getMessage()).matches() &&
                (expected == null || !expected.matcher(e.getMessage()).matches()))
            {
                errors.add(e.getMessage());
            }
        }
        consoleErrors.addAll(errors);
        return errors;
    }

    /**
     * Waits until a chart has at least minPoints values and checks its canvas is laid out and holds
     * pixels of one of the given stroke colours (the data was really drawn, not only the axes; lines
     * that coincide hide each other, so any of the chart's series colours counts).
     */
    private void assertChartDrawn(final String css, final int minPoints, final int[]... colours)
    {
        final List<List<Integer>> rgbs = Stream.of(colours).map(c -> List.of(c[0], c[1], c[2])).toList();
        // One script reads the chart at one moment (a section may re-render between separate calls).
        final String script =
            "const el = document.querySelector(arguments[0]); const c = el && el.querySelector('canvas');" +
            "if (!c) return null;" +
            "const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;" +
            "for (let i = 0; i < d.length; i += 4) {" +
            "  if (d[i + 3] > 90 && arguments[1].some(k => Math.abs(d[i] - k[0]) < 40 &&" +
            "      Math.abs(d[i + 1] - k[1]) < 40 && Math.abs(d[i + 2] - k[2]) < 40)) n++; }" +
            "const r = c.getBoundingClientRect();" +
            "return [Number(el.dataset.points || 0), r.width, r.height, n];";
        final Object[] last = {null};
        try
        {
            await(css + " drawn with at least " + minPoints + " points", d ->
            {
                final Object answer = js(script, css, rgbs);
                last[0] = answer;
                if (!(answer instanceof List<?> l))
                {
                    return false;
                }
                return ((Number)l.get(0)).intValue() >= minPoints && ((Number)l.get(1)).doubleValue() > 100 &&
                    ((Number)l.get(2)).doubleValue() > 20 && ((Number)l.get(3)).longValue() > 50;
            });
        }
        catch (final org.openqa.selenium.TimeoutException ex)
        {
            try
            {
                screenshot("failed-" + css.replaceAll("[^a-z-]", ""));
            }
            catch (final IOException io)
            {
                // the failure below says what went wrong
            }
            throw new AssertionError(css + ": [points, width, height, pixels in the series colours] = " + last[0] +
                "; wanted points >= " + minPoints + ", width > 100, height > 20, pixels > 50", ex);
        }
    }

    private static final int[] BLUE = {0x2f, 0x6f, 0xb0};
    private static final int[] ORANGE = {0xd9, 0x82, 0x2b};
    private static final int[] GREEN = {0x3a, 0x9c, 0x5d};
    private static final int[] RED = {0xc2, 0x3b, 0x3b};
    private static final int[] PURPLE = {0xa2, 0x4c, 0xb8};
    private static final int[] GREY = {0x6b, 0x7a, 0x8f};

    // ----------------------------------------------------------------------------------------------

    @Test
    @Order(1)
    void overviewShowsServicesAgentsAndLiveIngestRates() throws IOException
    {
        open("");
        await("both services listed", d -> d.findElements(By.cssSelector("#services tr.service-row")).size() == 2);
        assertThat(text("#services")).contains("checkout", "payments");
        assertThat(driver.findElements(By.cssSelector("#services .badge.up"))).as(text("#services")).hasSize(2);
        assertThat(text("#agents")).contains("checkout", "payments", "connected");
        final String title = Http.get(collector.httpPort(), "/api/v1/incidents/" + enc(incidentId)).json()
            .at("/data/title").asText();
        await("the incident on the overview", d -> text("#open-incidents").contains(title));
        assertThat(text("#open-anomalies")).isNotBlank();
        assertChartDrawn("#service-rate-chart", 10, BLUE, ORANGE);

        // Live: new data shows up without a reload (a marker set in the page survives).
        js("window.__sameDocument = true;");
        final String before = text("#status-cards");
        final long t = System.currentTimeMillis();
        for (int i = 0; i < 5; i++)
        {
            checkout.metrics(++checkoutSequence, 0, t + i, new int[] {1}, new long[] {t + i * 100L},
                new double[] {900e6});
        }
        checkout.log(++checkoutSequence, t * 1_000_000L, LogLevel.WARN, "com.shop.checkout", "heap is high");
        checkout.awaitAck(checkoutSequence);
        await("status cards updated", d -> !text("#status-cards").equals(before));
        assertChartDrawn("#ingest-chart", 2, BLUE, ORANGE, GREEN);
        assertThat(js("return window.__sameDocument === true;")).isEqualTo(true);
        screenshot("overview");
        assertThat(newConsoleErrors()).isEmpty();
    }

    @Test
    @Order(2)
    void seriesExplorerDrawsTheChosenSeries() throws IOException
    {
        open("series");
        assertThat(text("#series-note")).contains("no series chosen");
        click("the heap series in the list", "#series-list a.series-link",
            e -> heapSelector.equals(e.getAttribute("data-selector")));
        await("the chosen series titled", d -> text("#series-title").contains(heapSelector));
        // Ten minutes of one-second samples over the last hour at a 12 s step: about 50 points.
        assertChartDrawn("#series-chart", 45, BLUE);
        assertThat(text("#series-note")).containsPattern("\\d+ points");
        assertThat(driver.findElement(By.cssSelector("#series-list li.chosen")).getText()).contains("jvm.memory.used");
        screenshot("series");

        new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("series-range"))).selectByValue("15m");
        await("range in the address", d -> d.getCurrentUrl().contains("range=15m"));
        await("redrawn for 15 minutes", d -> "true".equals(attribute("#view", "data-loaded")) &&
            text("#series-title").contains(heapSelector));
        // The last 15 minutes at a 3 s step: about 200 points.
        await("more points for the shorter range", d -> Integer.parseInt(attribute("#series-chart", "data-points")) >= 150);
        assertChartDrawn("#series-chart", 150, BLUE);
        assertThat(newConsoleErrors()).isEmpty();
    }

    @Test
    @Order(3)
    void logsPageSearchesRecordsAndChartsThemByLevel() throws IOException
    {
        open("logs");
        await("records listed", d -> d.findElements(By.cssSelector("#log-results tr.log-row")).size() >= 40);
        assertThat(text("#templates")).isNotBlank();
        driver.findElement(By.id("log-text")).sendKeys("payment failed");
        new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("log-service"))).selectByValue("payments");
        driver.findElement(By.cssSelector("#log-search button[type=submit]")).click();
        await("search in the address", d -> d.getCurrentUrl().contains("text=payment+failed"));
        await("only matching records", d ->
        {
            final List<WebElement> rows = d.findElements(By.cssSelector("#log-results tr.log-row"));
            return rows.size() == 20 && rows.stream().allMatch(r -> r.getText().contains("payment failed") &&
                r.getText().contains("payments"));
        });
        assertChartDrawn("#log-volume-chart", 1, new int[] {0xc2, 0x3b, 0x3b});
        screenshot("logs");
        assertThat(newConsoleErrors()).isEmpty();
    }

    @Test
    @Order(4)
    void clickingAnIncidentShowsItsCausesAndApprovingChangesTheActionState() throws Exception
    {
        final JsonNode incident = Http.get(collector.httpPort(), "/api/v1/incidents/" + enc(incidentId)).json()
            .path("data");
        final JsonNode causes = Http.get(collector.httpPort(), "/api/v1/incidents/" + enc(incidentId) + "/causes")
            .json().path("data");
        assertThat(causes.size()).as(causes.toString()).isGreaterThan(0);
        open("incidents");
        await("the incident listed", d -> !d.findElements(By.cssSelector("#incident-list a.incident-link")).isEmpty());
        assertThat(text("#incident-list")).contains(incident.path("title").asText());
        assertThat(text("#pending-actions")).contains(RULE, "PENDING_APPROVAL");
        screenshot("incidents");

        click("the incident", "#incident-list a.incident-link",
            e -> e.getAttribute("href").endsWith("#/incidents/" + incidentId));
        await("incident page", d -> d.getCurrentUrl().endsWith("#/incidents/" + incidentId));
        await("causes shown", d -> d.findElements(By.cssSelector("#incident-causes li.cause")).size() == causes.size());
        final List<WebElement> shown = driver.findElements(By.cssSelector("#incident-causes li.cause"));
        for (int i = 0; i < causes.size(); i++)
        {
            final JsonNode c = causes.get(i);
            assertThat(shown.get(i).getText()).as("cause " + c).contains("#" + c.path("rank").asInt(),
                c.path("kind").asText(), c.path("subject").asText());
            for (final JsonNode e : c.path("evidence"))
            {
                assertThat(shown.get(i).getText()).contains(e.asText());
            }
        }
        assertThat(causes.get(0).path("evidence").size()).as("the top cause has evidence").isGreaterThan(0);
        final String memberText = text("#incident-members");
        for (final JsonNode m : incident.path("members"))
        {
            assertThat(memberText).contains(m.path("reason").asText());
        }
        assertThat(memberText).contains("jvm.memory.used", "http.server.latency");
        assertThat(driver.findElements(By.cssSelector("#incident-timeline .lane-bar")))
            .hasSize(incident.path("members").size());

        final String row = "#incident-actions tr.action-row[data-id='" + pendingAction + "']";
        await("the pending action", d -> "PENDING_APPROVAL".equals(attribute(row, "data-state")));
        assertThat(webhookCalls).as("nothing is called before the approval").isEmpty();
        screenshot("incident-detail");
        await("reason typed", d ->
        {
            d.findElement(By.cssSelector(row + " input.reason")).sendKeys("heap keeps growing");
            return true;
        });
        click("approve", row + " button.approve", e -> true);
        await("action no longer pending in the page", d -> attribute(row, "data-state") != null &&
            !"PENDING_APPROVAL".equals(attribute(row, "data-state")));
        assertThat(attribute(row, "data-state")).isIn("APPROVED", "RUNNING", "SUCCEEDED");
        assertThat(driver.findElements(By.cssSelector(row + " button"))).isEmpty();
        // The collector's own action: approved by the dashboard with the reason typed, then carried out.
        final JsonNode done = Http.await(collector.httpPort(), "/api/v1/actions/" + enc(pendingAction),
            a -> a.status() == 200 && "SUCCEEDED".equals(a.json().at("/data/state").asText()), WAIT).json().path("data");
        assertThat(done.path("incident").asText()).isEqualTo(incidentId);
        await("the webhook called", d -> !webhookCalls.isEmpty());
        assertThat(webhookCalls.get(0)).startsWith(pendingAction + " ").contains(incidentId);
        final JsonNode audit = Http.get(collector.httpPort(), "/api/v1/audit?limit=100").json();
        assertThat(audit.toString()).contains("heap keeps growing");
        await("the new state in the page", d -> "SUCCEEDED".equals(attribute(row, "data-state")));
        screenshot("incident-approved");
        assertThat(newConsoleErrors()).isEmpty();
    }

    @Test
    @Order(5)
    void modelsAndAuditPagesRenderWithOrWithoutTheirEndpoints() throws IOException
    {
        open("models");
        assertThat(text("#model-list")).satisfiesAnyOf(
            s -> assertThat(s).contains("no data yet"),
            s -> assertThat(s).contains("no model registered yet"),
            s -> assertThat(driver.findElements(By.cssSelector("#model-list a.model-link"))).isNotEmpty());
        screenshot("models");
        open("models/fraud-scorer");
        assertThat(text("#view")).contains("fraud-scorer");
        screenshot("model-detail");
        open("audit");
        assertThat(text("#audit-verify")).satisfiesAnyOf(
            s -> assertThat(s).contains("no data yet"),
            s -> assertThat(s).containsAnyOf("verified", "broken"));
        screenshot("audit");
        assertThat(newConsoleErrors()).isEmpty();
    }

    @Test
    @Order(6)
    void unknownRoutesAndEmptyStatesNeverBreakThePage() throws IOException
    {
        // Whether the earlier tests' incidents have resolved yet depends on their quiet period: the resolved list
        // is either empty, and says so, or shows exactly the incidents the API calls resolved.
        open("incidents?state=resolved");
        await("the resolved incidents as the API lists them", d ->
        {
            final JsonNode resolved = Http.get(collector.httpPort(), "/api/v1/incidents?state=resolved").json().at("/data");
            final String shown = text("#incident-list");
            if (resolved.isEmpty())
            {
                return shown.contains("no incidents");
            }
            boolean all = driver.findElements(By.cssSelector("#incident-list a.incident-link")).size() == resolved.size();
            for (final JsonNode i : resolved)
            {
                all &= shown.contains(i.path("title").asText());
            }
            return all;
        });
        open("incidents/no-such-incident");
        assertThat(text("#incident-head")).contains("no incident 'no-such-incident'");
        driver.get(base + "/?poll=1000#/nowhere");
        await("not-found page", d -> text("#view").contains("no page \"nowhere\""));
        open("series?s=" + enc("no.such.series{service=\"x\"}"));
        assertThat(text("#series-note")).contains("no points");
        // The 404s asked for: an unknown incident, and the band and forecast of a series that does not exist.
        final Pattern askedFor = Pattern.compile("^http://127\\.0\\.0\\.1:\\d+/api/v1/" +
            "(incidents/no-such-incident(/causes)?|(expected|forecast)\\?series=no\\.such\\.series\\S*) - " +
            "Failed to load resource: the server responded with a status of 404 \\(Not Found\\)$");
        assertThat(newConsoleErrors(askedFor)).isEmpty();
        // The series page keeps polling the missing series: leave it, so that no later test reads its 404s.
        driver.get("about:blank");
        assertThat(newConsoleErrors(askedFor)).isEmpty();
    }

    /**
     * The pages draw what the collector's own analysis, registry and audit hold: the heap series with
     * its expected band, the real anomaly of the checkout fault marked, and its forecast; log templates
     * with their trends; a model registered through the API whose two versions an agent served half an
     * hour ago (latency, traffic, quality from joined labels, the canary's drifted input); a gate run
     * from the page; the audit trail (registrations, alias changes, the approval) with its verification.
     */
    @Test
    @Order(7)
    void pagesDrawTheCollectorsAnalysisModelAndAuditData() throws Exception
    {
        seedModel();

        open("series?s=" + enc(heapSelector));
        await("the checkout fault's anomaly listed", d -> text("#series-anomalies").contains("jvm.memory.used of checkout at"));
        await("the band drawn", d -> text("#series-note").contains("with the expected band"));
        assertChartDrawn("#series-chart", 45, BLUE);
        assertChartDrawn("#series-chart", 45, GREEN);
        assertChartDrawn("#series-chart", 45, RED);
        assertThat(text("#series-forecast")).containsPattern("\\d+ forecast points");
        assertChartDrawn("#series-chart", 45, PURPLE);
        screenshot("series-with-band");

        open("logs");
        await("templates listed", d -> d.findElements(By.cssSelector("#templates tr.template-row")).size() >= 2);
        assertThat(text("#templates")).contains("payment failed for order", "logged in");
        assertThat(driver.findElements(By.cssSelector("#templates .chart.spark canvas"))).isNotEmpty();
        assertChartDrawn("#templates tr.template-row .chart.spark", 1, BLUE);
        screenshot("logs-with-templates");

        open("models");
        click("the model", "#model-list a.model-link", e -> e.getText().equals(MODEL));
        await("model page", d -> d.findElements(By.cssSelector("#model-versions tr.version-row")).size() == 2);
        assertThat(text("#model-aliases")).contains("production → 1.0.0", "first rollout");
        assertThat(attribute("#model-version", "value")).isEqualTo("1.0.0");
        assertChartDrawn("#model-latency-chart", WINDOWS - 1, BLUE);
        assertChartDrawn("#model-traffic-chart", WINDOWS - 1, BLUE);
        assertChartDrawn("#model-quality-chart", WINDOWS - 1, BLUE);
        new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("model-version"))).selectByValue("1.1.0");
        await("the canary's drift", d -> d.findElements(By.cssSelector("#model-drift .drift-card.drifted")).size() >= 1);
        assertThat(text("#model-drift")).contains("x", "drifted", "region");
        assertChartDrawn("#model-drift .drift-card.drifted .chart", 10, GREY, ORANGE);
        driver.findElement(By.id("gate-rules")).sendKeys("{\"metrics\": [{\"name\": \"accuracy\", " +
            "\"direction\": \"higher_is_better\", \"min\": 0.8}]}");
        driver.findElement(By.id("gate-candidate")).sendKeys("1.1.0");
        driver.findElement(By.cssSelector(".gate-form button[type=submit]")).click();
        await("gate report", d -> text("#gate-report").contains("failed"));
        assertThat(text("#gate-report")).contains("candidate 1.1.0 against production", "accuracy");
        screenshot("model-with-data");

        open("audit");
        await("audit rows", d -> d.findElements(By.cssSelector("#audit-records tr.audit-row")).size() >= 4);
        assertThat(text("#audit-verify")).contains("verified");
        assertThat(text("#audit-records")).contains(MODEL, "heap keeps growing");
        screenshot("audit-with-data");
        assertThat(newConsoleErrors()).isEmpty();
    }

    private static final String MODEL = "loan";
    private static final long MODEL_WINDOW = 10_000;
    private static final int PER_WINDOW = 60;
    private static final int WINDOWS = 6;

    /**
     * Registers two versions of a model with training profiles (x uniform on [0, 1), regions half and half),
     * deploys 1.0.0 to production, then an agent serves both half an hour ago: 1.0.0 on inputs like its
     * training data and right nine times in ten, the canary 1.1.0 on inputs shifted by 0.5 and right six in
     * ten; the labels follow a minute later.
     */
    private void seedModel() throws Exception
    {
        final List<Double> x = new ArrayList<>();
        for (int i = 0; i < 2000; i++)
        {
            x.add((i + 0.5) / 2000);
        }
        final Map<String, Object> profile = Map.of("numeric", Map.of("x", x),
            "categorical", Map.of("region", Map.of("north", 1000, "south", 1000)));
        for (final String v : List.of("1.0.0", "1.1.0"))
        {
            final Http.Answer a = post("/api/v1/models/" + MODEL + "/versions", Map.of("version", v,
                "dataset", Map.of("id", "loans-2026-11", "contentHash", "9f2c" + "0".repeat(60)),
                "parameters", Map.of("algorithm", "logistic-regression", "positive_class", "default"),
                "trainingMetrics", Map.of("accuracy", 0.9), "actor", "ci", "trainingProfile", profile));
            assertThat(a.status()).as(a.body()).isEqualTo(200);
        }
        final Http.Answer deployed = post("/api/v1/models/" + MODEL + "/aliases/production",
            Map.of("version", "1.0.0", "reason", "first rollout"));
        assertThat(deployed.status()).as(deployed.body()).isEqualTo(200);

        final long base = Math.floorDiv(System.currentTimeMillis() - 1_800_000L, MODEL_WINDOW) * MODEL_WINDOW;
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[1 << 20]);
        final FrameWriter writer = new FrameWriter();
        long seq = 0;
        try (TestAgent agent = new TestAgent(collector.ingestPort(), UUID.randomUUID(), 4))
        {
            agent.handshake("scoring", "");
            final List<String[]> labels = new ArrayList<>();
            for (int w = 0; w < WINDOWS; w++)
            {
                WireWriter out = writer.begin(frame, 0, frame.capacity(), MessageType.INFERENCE, ++seq);
                final InferenceEncoder e = new InferenceEncoder().wrap(out, (base + w * MODEL_WINDOW) * 1_000_000L);
                for (int i = 0; i < PER_WINDOW; i++)
                {
                    final long t = base + w * MODEL_WINDOW + i * (MODEL_WINDOW / PER_WINDOW);
                    for (final String v : List.of("1.0.0", "1.1.0"))
                    {
                        final boolean canary = v.equals("1.1.0");
                        final double input = ((i * 37) % PER_WINDOW + 0.5) / PER_WINDOW + (canary ? 0.5 : 0.0);
                        final String predicted = i % 3 == 0 ? "default" : "repaid";
                        final boolean right = canary ? i % 10 < 6 : i % 10 != 0;
                        final String id = v + "-" + w + "-" + i;
                        assertThat(e.record(t * 1_000_000L, MODEL, v, 1_000_000L + (i * 7919L % 900_000L), Outcome.OK,
                            PredictionKind.CLASS, predicted, Double.NaN, right ? 0.8 : 0.6, id,
                            new CharSequence[] {"x"}, new double[] {input}, 1, new CharSequence[] {"region"},
                            new CharSequence[] {i % 2 == 0 ? "north" : "south"}, 1)).isTrue();
                        labels.add(new String[] {id, Long.toString(t + 60_000),
                            right ? predicted : (predicted.equals("default") ? "repaid" : "default")});
                    }
                }
                e.finish();
                sendFrame(agent, frame, writer.finish(), seq);
            }
            for (int from = 0; from < labels.size(); from += 200)
            {
                final List<String[]> batch = labels.subList(from, Math.min(labels.size(), from + 200));
                final WireWriter out = writer.begin(frame, 0, frame.capacity(), MessageType.LABELS, ++seq);
                final LabelsEncoder e = new LabelsEncoder().wrap(out, Long.parseLong(batch.get(0)[1]) * 1_000_000L);
                for (final String[] l : batch)
                {
                    assertThat(e.label(Long.parseLong(l[1]) * 1_000_000L, MODEL, l[0], PredictionKind.CLASS, l[2],
                        Double.NaN)).isTrue();
                }
                e.finish();
                sendFrame(agent, frame, writer.finish(), seq);
            }
        }
        final String range = "from=" + (base - 1) / 1000.0 + "&to=" + (base + WINDOWS * MODEL_WINDOW) / 1000.0;
        Http.await(collector.httpPort(), "/api/v1/models/" + MODEL + "/versions/1.0.0/quality?" + range,
            a -> a.status() == 200 && a.json().at("/data/metrics/count").asDouble() == WINDOWS * PER_WINDOW, WAIT);
    }

    private static void sendFrame(final TestAgent agent, final UnsafeBuffer frame, final int length, final long seq)
        throws IOException
    {
        final byte[] bytes = new byte[length];
        frame.getBytes(0, bytes);
        agent.sendRaw(bytes);
        agent.awaitAck(seq);
    }

    private Http.Answer post(final String path, final Object body) throws Exception
    {
        final java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + path)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
        return new Http.Answer(r.statusCode(), JSON.readTree(r.body()), r.body());
    }

    /**
     * A page opened with polling practically off (one poll every ten minutes) still shows a fault that
     * happens after it loaded: the collector's event stream tells it, without a reload.
     */
    @Test
    @Order(8)
    void aFaultAfterThePageLoadedAppearsThroughTheEventStream() throws Exception
    {
        driver.get(base + "/?poll=600000#/");
        await("overview loaded", d -> "true".equals(attribute("#view", "data-loaded")));
        await("the event stream open", d -> "stream".equals(attribute("body", "data-feed")));
        assertThat(text("#feed")).isEqualTo("streaming");
        js("window.__sameDocument = true;");
        final String paymentsHeap = "#open-anomalies tr";
        assertThat(driver.findElements(By.cssSelector(paymentsHeap)).stream()
            .noneMatch(r -> r.getText().contains("payments") && r.getText().contains("jvm.memory.used"))).isTrue();
        final String before = attribute("#view", "data-refreshes");

        // payments' heap steps up, live, until the collector reports the anomaly.
        final long start = System.currentTimeMillis();
        final long[] seq = {paymentsSequence};
        final JsonNode anomaly = sendUntil("an open payments heap anomaly", () ->
        {
            final long t = System.currentTimeMillis();
            payments.metrics(++seq[0], 0, t, new int[] {1}, new long[] {t}, new double[] {PAYMENTS_HEAP * 3});
            payments.awaitAck(seq[0]);
            for (final JsonNode a : Http.get(collector.httpPort(), "/api/v1/anomalies?open=true&service=payments")
                .json().path("data"))
            {
                if (a.path("subject").asText().startsWith("jvm.memory.used") && a.path("start").asDouble() * 1000 >= start)
                {
                    return a;
                }
            }
            return null;
        });
        paymentsSequence = seq[0];
        System.out.println("[test] payments anomaly: " + anomaly);
        await("the new anomaly on the open page", d -> d.findElements(By.cssSelector(paymentsHeap)).stream()
            .anyMatch(r -> r.getText().contains("payments") && r.getText().contains("jvm.memory.used")));
        assertThat(js("return window.__sameDocument === true;")).isEqualTo(true);
        assertThat(attribute("#view", "data-refreshes")).isNotEqualTo(before);
        assertThat(Integer.parseInt(attribute("body", "data-events"))).isGreaterThan(1);
        screenshot("overview-live-anomaly");
        assertThat(newConsoleErrors()).isEmpty();
        driver.get("about:blank");
    }
}
