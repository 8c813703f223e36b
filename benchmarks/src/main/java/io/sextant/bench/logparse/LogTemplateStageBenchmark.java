package io.sextant.bench.logparse;

import io.sextant.collector.analysis.LogTemplateStage;
import io.sextant.collector.store.LogEntry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Cost per log record of the whole log-template stage on the analysis thread: template (mined or from the pattern),
 * the record index for the log search, and the service's template statistics. Records are the application mix of
 * {@link TemplateMinerBenchmark}, a millisecond apart, over four services.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class LogTemplateStageBenchmark {

    private static final String[] SERVICES = {"checkout", "payments", "search", "inventory"};

    private LogTemplateStage stage;
    private LogEntry[] mined;
    private LogEntry[] patterned;
    private int nextMined;
    private int nextPatterned;

    @Setup
    public void setUp() {
        stage = new LogTemplateStage(LogTemplateStage.Config.of(100_000, 60_000, 600_000, 200_000));
        String[] lines = TemplateMinerBenchmark.minedLines();
        long t0 = 1_764_000_000_000L;
        mined = new LogEntry[lines.length];
        patterned = new LogEntry[lines.length];
        for (int i = 0; i < lines.length; i++) {
            String service = SERVICES[i % SERVICES.length];
            mined[i] = new LogEntry((t0 + i) * 1_000_000L, service, "i-1", "INFO", "com.example.App", "main", "",
                    lines[i], "", "", "", Map.of());
            patterned[i] = new LogEntry((t0 + i) * 1_000_000L, service, "i-1", i % 50 == 0 ? "ERROR" : "INFO",
                    "com.example.App", "main", "Request {} to {} answered {} in {} ms", lines[i], "", "", "", Map.of());
        }
        for (int i = 0; i < lines.length; i++) {
            stage.onLog(mined[i]);
            stage.onLog(patterned[i]);
        }
    }

    /** A record without a pattern (OTLP logs): mined. */
    @Benchmark
    public void onLogMined() {
        int i = nextMined;
        nextMined = i + 1 == mined.length ? 0 : i + 1;
        stage.onLog(mined[i]);
    }

    /** A record whose pattern the agent sent: exact template. */
    @Benchmark
    public void onLogPattern() {
        int i = nextPatterned;
        nextPatterned = i + 1 == patterned.length ? 0 : i + 1;
        stage.onLog(patterned[i]);
    }
}
