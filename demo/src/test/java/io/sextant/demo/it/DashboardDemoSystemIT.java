package io.sextant.demo.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
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

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Level;

import static io.sextant.demo.it.SystemTests.enc;
import static io.sextant.demo.it.SystemTests.freePort;
import static io.sextant.demo.it.SystemTests.jar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The README's demo, as {@code bin/sextant-demo} runs it, seen in the dashboard: the collector jar and the
 * demo workload with the agent (a one-minute fault cycle), both real processes. Once the demo's faults
 * begin (after its clean start, which the detectors need to learn the service), the test waits until the
 * collector holds an incident with a member from the fault period and ranked causes, then opens that
 * incident in headless Chromium and checks the page shows it with every cause and its evidence, with no
 * console errors. Screenshots: target/screenshots/demo-*.png. Prints every incident and its causes.
 */
class DashboardDemoSystemIT
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();
    private int httpPort;
    private ChromeDriverService service;
    private WebDriver driver;

    @AfterEach
    void stop()
    {
        if (driver != null)
        {
            driver.quit();
        }
        if (service != null)
        {
            service.stop();
        }
        processes.forEach(Process::destroy);
        for (final Process p : processes)
        {
            try
            {
                if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS))
                {
                    p.destroyForcibly();
                }
            }
            catch (final InterruptedException ex)
            {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void theIncidentsTheDemosFaultsCauseAreVisibleWithTheirCauses() throws Exception
    {
        assumeThat(jar("sextant.it.collector-jar")).as("collector jar built").exists();
        assumeThat(jar("sextant.it.agent-jar")).as("agent jar built").exists();
        assumeThat(jar("sextant.it.demo-jar")).as("demo jar built").exists();
        assumeThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
            .as("Debian's Chromium and chromedriver (apt-get install chromium chromium-driver)").isTrue();
        final int ingestPort = freePort();
        final int otlpPort = freePort();
        httpPort = freePort();
        start("collector.log", List.of("-Xmx512m", "-jar", jar("sextant.it.collector-jar").toString(), "serve",
            "--data-dir", dir.resolve("data").toString(), "--ingest-port", Integer.toString(ingestPort),
            "--otlp-port", Integer.toString(otlpPort), "--http-port", Integer.toString(httpPort),
            "--set", "bind-address=127.0.0.1", "--set", "ring-size=16MiB"));
        awaitReady();
        // As bin/sextant-demo starts it (its model is recorded through sextant-api, hence smile=off), with a short cycle.
        final long demoStart = System.currentTimeMillis();
        start("demo.log", List.of("-Xmx256m", "-javaagent:" + jar("sextant.it.agent-jar") +
            "=service=loan-scoring,smile=off,endpoint=127.0.0.1:" + ingestPort, "-jar", jar("sextant.it.demo-jar").toString(),
            "--api", "http://127.0.0.1:" + httpPort, "--cycle", "60s", "--rate", "50"));

        // An incident holding a symptom that began once the demo logged its first fault, with ranked causes.
        final long deadline = System.nanoTime() + Duration.ofSeconds(170).toNanos();
        long faultsFrom = 0;
        JsonNode incident = null;
        JsonNode ranked = null;
        while (incident == null)
        {
            if (faultsFrom == 0 && log("demo.log").contains("Demo schedule: NONE -> GC_PRESSURE"))
            {
                faultsFrom = System.currentTimeMillis() - 2_000; // the log is read once a second
                System.out.println("[demo-it] first fault logged " + (faultsFrom - demoStart) / 1000 +
                    " s after the demo started");
            }
            assertThat(System.nanoTime() - deadline).as("an incident from the demo's faults with ranked causes " +
                "within 170 s; incidents: " + abbreviate(get("/api/v1/incidents?state=all").toString()) +
                "\ndemo.log:\n" + abbreviate(log("demo.log"))).isNegative();
            for (final JsonNode summary : faultsFrom == 0 ? JSON.createArrayNode() :
                get("/api/v1/incidents?state=all").path("data"))
            {
                if (summary.path("predicted").asBoolean())
                {
                    continue; // a forecast, not something that happened
                }
                final String id = summary.path("id").asText();
                final JsonNode detail = get("/api/v1/incidents/" + enc(id)).path("data");
                final JsonNode list = get("/api/v1/incidents/" + enc(id) + "/causes").path("data");
                if (list.size() > 0 && fromTheFaults(detail, faultsFrom) != null)
                {
                    incident = detail;
                    ranked = list;
                    break;
                }
            }
            if (incident == null)
            {
                Thread.sleep(1000);
            }
        }
        final long found = System.currentTimeMillis();
        final long faults = faultsFrom;
        final JsonNode causes = ranked;
        report(faults);
        System.out.println("[demo-it] incident from the faults found " + (found - demoStart) / 1000 + " s after the demo started: " +
            incident.path("id").asText() + " — " + incident.path("title").asText() + "; fault symptom: " +
            fromTheFaults(incident, faults).path("summary").asText());

        // The dashboard: the incident in the list, then its page with every cause and its evidence.
        openBrowser();
        final String base = "http://127.0.0.1:" + httpPort;
        final String id = incident.path("id").asText();
        driver.get(base + "/#/incidents?state=all");
        await("the incident listed", d -> d.findElements(By.cssSelector("#incident-list a.incident-link")).stream()
            .anyMatch(a -> a.getDomAttribute("href").equals("#/incidents/" + enc(id))));
        screenshot("demo-incidents");
        // The list re-renders when the event stream reports a change: a link found a moment ago may be gone.
        await("the incident clicked", d ->
        {
            try
            {
                d.findElements(By.cssSelector("#incident-list a.incident-link")).stream()
                    .filter(a -> a.getDomAttribute("href").equals("#/incidents/" + enc(id))).findFirst().orElseThrow()
                    .click();
                return true;
            }
            catch (final StaleElementReferenceException | java.util.NoSuchElementException ex)
            {
                return false;
            }
        });
        await("the incident page", d -> d.getCurrentUrl().endsWith("#/incidents/" + enc(id)));
        await("its causes", d -> d.findElements(By.cssSelector("#incident-causes li.cause")).size() > 0);
        // The incident may still grow while the demo runs (the page follows it live): wait until the page shows
        // what the API ranks at that moment, every cause, the top one with all its evidence.
        final String[] shown = {""};
        await("the causes as the API ranks them", d ->
        {
            final JsonNode now = quietly("/api/v1/incidents/" + enc(id) + "/causes");
            final List<WebElement> items = d.findElements(By.cssSelector("#incident-causes li.cause"));
            if (now == null || now.path("data").size() == 0 || items.size() != now.path("data").size())
            {
                return false;
            }
            final JsonNode top = now.path("data").get(0);
            final String text = d.findElement(By.id("incident-causes")).getText();
            shown[0] = top.toString();
            boolean all = items.get(0).getText().contains("#1") && items.get(0).getText().contains(top.path("kind").asText()) &&
                items.get(0).getText().contains(top.path("subject").asText());
            for (final JsonNode e : top.path("evidence"))
            {
                all &= text.contains(e.asText());
            }
            return all;
        });
        System.out.println("[demo-it] top cause shown: " + shown[0] + " (" + causes.size() + " causes when found)");
        assertThat(driver.findElement(By.id("incident-head")).getText()).contains("loan-scoring");
        assertThat(driver.findElement(By.id("incident-members")).getText())
            .contains(fromTheFaults(get("/api/v1/incidents/" + enc(id)).path("data"), faults).path("service").asText());
        screenshot("demo-incident");
        ((org.openqa.selenium.JavascriptExecutor)driver).executeScript(
            "document.getElementById('incident-causes').scrollIntoView();");
        screenshot("demo-incident-causes");
        final List<String> errors = new ArrayList<>();
        for (final LogEntry e : driver.manage().logs().get(LogType.BROWSER))
        {
            System.out.println("[browser] " + e.getLevel() + " " + e.getMessage());
            if (e.getLevel().intValue() >= Level.SEVERE.intValue())
            {
                errors.add(e.getMessage());
            }
        }
        assertThat(errors).as("console errors").isEmpty();
        System.out.println("[demo-it] done " + (System.currentTimeMillis() - demoStart) / 1000 + " s after the demo started");
    }

    /** The first member of an incident (neither a change nor a prediction) that began once the faults had begun, or null. */
    private static JsonNode fromTheFaults(final JsonNode incident, final long faultsFromMillis)
    {
        for (final JsonNode m : incident.path("members"))
        {
            final JsonNode s = m.path("signal");
            final String kind = s.path("kind").asText();
            if (!kind.equals("CHANGE") && !kind.equals("PREDICTED") && s.path("start").asDouble() * 1000 >= faultsFromMillis)
            {
                return s;
            }
        }
        return null;
    }

    /** Prints every incident with its members and causes (for the report). */
    private void report(final long faultsFrom) throws Exception
    {
        for (final JsonNode summary : get("/api/v1/incidents?state=all").path("data"))
        {
            final String id = summary.path("id").asText();
            System.out.println("[demo-it] incident " + id + " " + summary.path("state").asText() + " " +
                summary.path("title").asText());
            for (final JsonNode m : get("/api/v1/incidents/" + enc(id)).at("/data/members"))
            {
                final JsonNode s = m.path("signal");
                System.out.printf("[demo-it]   member %+.0f s (faults from 0) %s %s: %s%n",
                    s.path("start").asDouble() - faultsFrom / 1000.0, s.path("kind").asText(), s.path("source").asText(),
                    s.path("summary").asText());
            }
            for (final JsonNode c : get("/api/v1/incidents/" + enc(id) + "/causes").path("data"))
            {
                System.out.printf("[demo-it]   cause #%d %s %s %.3f: %s%n", c.path("rank").asInt(), c.path("kind").asText(),
                    c.path("subject").asText(), c.path("score").asDouble(), c.path("evidence"));
            }
        }
    }

    // ---- browser ---------------------------------------------------------------------------------

    private void openBrowser() throws IOException
    {
        final ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", "--window-size=1400,1000", "--user-data-dir=" + dir.resolve("chromium"));
        final LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
            .build();
        driver = new ChromeDriver(service, options);
        Files.createDirectories(SCREENSHOTS);
    }

    private void await(final String what, final java.util.function.Function<WebDriver, Boolean> condition)
    {
        new WebDriverWait(driver, Duration.ofSeconds(30), Duration.ofMillis(100)).withMessage(what)
            .ignoring(StaleElementReferenceException.class).until(condition);
    }

    private void screenshot(final String name) throws IOException
    {
        Files.write(SCREENSHOTS.resolve(name + ".png"), ((TakesScreenshot)driver).getScreenshotAs(OutputType.BYTES));
    }

    // ---- processes and HTTP ----------------------------------------------------------------------

    private void awaitReady() throws Exception
    {
        final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() - deadline < 0)
        {
            assertThat(processes.get(0).isAlive()).as("collector running; log:\n" + log("collector.log")).isTrue();
            try
            {
                if (HTTP.send(HttpRequest.newBuilder(uri("/readyz")).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode() == 200)
                {
                    return;
                }
            }
            catch (final IOException notYet)
            {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new AssertionError("collector not ready in 60 s; log:\n" + log("collector.log"));
    }

    private void start(final String log, final List<String> args) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(Arrays.stream(System.getProperty("sextant.jvm.flags", "").split("\\s+"))
            .filter(s -> !s.isBlank()).toList());
        command.addAll(args);
        processes.add(new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(log).toFile())).start());
    }

    private String log(final String name)
    {
        try
        {
            return Files.exists(dir.resolve(name)) ? Files.readString(dir.resolve(name)) : "(no " + name + ")";
        }
        catch (final IOException ex)
        {
            return ex.toString();
        }
    }

    private URI uri(final String pathAndQuery)
    {
        return URI.create("http://127.0.0.1:" + httpPort + pathAndQuery);
    }

    /** The answer, or null when the request failed (inside a browser wait). */
    private JsonNode quietly(final String pathAndQuery)
    {
        try
        {
            return get(pathAndQuery);
        }
        catch (final IOException ex)
        {
            return null;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private JsonNode get(final String pathAndQuery) throws IOException, InterruptedException
    {
        final HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(10))
            .build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    private static String abbreviate(final String s)
    {
        return s.length() > 6000 ? s.substring(s.length() - 6000) : s;
    }
}
