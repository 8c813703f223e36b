package io.sextant.bench.logparse;

import io.sextant.collector.analysis.logs.TemplateMiner;
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

import java.util.concurrent.TimeUnit;

/**
 * Cost of matching one log line against known templates (the steady state of the analysis thread): the line is
 * masked and looked up; no template is created. Lines are a fixed mix of shapes (numbers, ids, paths, IPs, hex,
 * key=value, quoted strings, UUIDs), so the benchmark needs no data set. Run with {@code -prof gc}: 0 B/op.
 * Three paths: a fixed line ({@link #matchKnownLine}), application lines whose values change from line to line
 * ({@link #matchMinedLine}, the mined path of OTLP logs) and agent records that carry their pattern
 * ({@link #matchPatternLine}). Lines per second is 10^9 / (ns per op).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class TemplateMinerBenchmark {

    private static final String[] LINES = {
        "PacketResponder 1 for block blk_38865049064139660 terminating",
        "Received block blk_-1608999687919862906 src: /10.250.19.102:54106 dest: /10.250.19.102:50010 of size 91178",
        "10.11.10.1 \"GET /v2/54fadb412c4e40cdbaed9335e4c35a9e/servers/detail HTTP/1.1\" status: 200 len: 1893 time: 0.2477829",
        "[instance: b9000564-fe1a-409b-b8cc-1e88b294cd1d] Took 19.05 seconds to spawn the instance on the hypervisor.",
        "authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=218.188.2.4",
        "Created MRAppMaster for application appattempt_1445144423722_0020_000001",
        "acquire lock=233570404, flags=0x1, tag=\"View Lock\", name=com.android.systemui, ws=null, uid=10037, pid=2227",
        "instruction cache parity error corrected",
        "Notification time out: 3200",
        "Finished task 0.0 in stage 1.0 (TID 8). 2364 bytes result sent to driver",
        "Session: 30546354_3300373740 initialized by client WindowsUpdateAgent.",
        "session opened for user root by (uid=0)",
        "jk2_init() Found child 6725 in scoreboard slot 10",
        "Component State Change: Component \\042alt0\\042 is in the unavailable state (HWID=3180)",
        "synchronized to 10.100.20.250, stratum 3",
        "Block broadcast_9_piece0 stored as bytes in memory (estimated size 5.2 KB, free 5.2 KB)",
    };

    /** Unformatted patterns as an agent sends them (SLF4J, MessageFormat and Formatter styles). */
    private static final String[] PATTERNS = {
        "User {} logged in from {}",
        "Order {} placed by customer {} for {} items",
        "Cache {} evicted {} entries in {} ms",
        "Request {0} to {1} failed with status {2,number}",
        "Retrying connection to %s (attempt %d of %d)",
        "Payment provider {} declined card ending {}",
        "Scheduled job {} finished in {} ms",
        "Loaded {} feature flags from {}",
        "Session {} expired after {} s of inactivity",
        "Kafka consumer {} rebalanced: {} partitions assigned",
        "Health check passed",
        "Heap after GC: %.1f MB of %.1f MB",
        "Inference for model {} version {} took {} ms",
        "Could not parse header {}: {}",
        "Shutting down executor {} with {} tasks pending",
        "Config {} reloaded by {}",
    };
    /** Distinct lines per shape in the mined mix: the variable parts differ from line to line. */
    private static final int VARIANTS = 256;

    private TemplateMiner miner;
    private String[] lines;
    private String[] mined;
    private String[] patterns;
    private int next;
    private int nextMined;
    private int nextPattern;

    @Setup
    public void setUp() {
        miner = new TemplateMiner();
        lines = LINES.clone();
        for (String line : lines) {
            miner.match(line);
        }
        mined = minedLines();
        for (String line : mined) {
            miner.match(line);
        }
        patterns = PATTERNS.clone();
        for (String pattern : patterns) {
            miner.matchPattern(pattern);
        }
    }

    /**
     * Lines of 16 application shapes whose numbers, ids, addresses, paths and durations change from line to line,
     * as real traffic does (each still masks to a known key: the steady state).
     */
    static String[] minedLines() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(42);
        String[] out = new String[16 * VARIANTS];
        for (int v = 0; v < VARIANTS; v++) {
            int n = random.nextInt(1_000_000);
            String ip = "10." + random.nextInt(256) + '.' + random.nextInt(256) + '.' + random.nextInt(256);
            String hex = Long.toHexString(random.nextLong());
            String uuid = new java.util.UUID(random.nextLong(), random.nextLong()).toString();
            int ms = random.nextInt(5000);
            String[] shapes = {
                "User " + n + " logged in from " + ip,
                "GET /api/v1/orders/" + n + " answered 200 in " + ms + " ms",
                "Order " + uuid + " placed by customer c-" + n + " for " + (n % 17) + " items",
                "Cache sessions evicted " + n + " entries in " + ms + " ms",
                "Retrying connection to " + ip + ":" + (1024 + n % 60000) + " (attempt " + (n % 5) + " of 5)",
                "request_id=" + hex + " user_id=" + n + " status=500 duration_ms=" + ms,
                "Failed to open /var/lib/app/data/part-" + n + ".parquet: permission denied",
                "Scheduled job cleanup finished in " + ms + " ms, next run at 2026-11-27T10:" + (n % 60) + ":00Z",
                "Heap after GC: " + (n % 4096) + "." + (n % 10) + " MB of 4096.0 MB",
                "Kafka consumer group-" + (n % 9) + " rebalanced: " + (n % 64) + " partitions assigned",
                "Session " + hex + " expired after " + (n % 3600) + " s of inactivity",
                "Inference for model fraud version 1." + (n % 4) + ".0 took " + ms + " ms",
                "Payment provider acme declined card ending " + (1000 + n % 9000),
                "trace=" + uuid + " span=" + hex + " slow query on table orders: " + ms + " ms",
                "Config feature-flags reloaded by " + ip,
                "Connection pool hikari-" + (n % 3) + " stats (total=" + (n % 50) + ", active=" + (n % 20)
                    + ", idle=" + (n % 30) + ", waiting=0)",
            };
            for (int s = 0; s < shapes.length; s++) {
                out[v * shapes.length + s] = shapes[s];
            }
        }
        return out;
    }

    /** One known line (cycling through the mix). */
    @Benchmark
    public int matchKnownLine() {
        int i = next;
        next = i + 1 == lines.length ? 0 : i + 1;
        return miner.match(lines[i]);
    }

    /** Mined path: one line of the application mix, its variable parts different each time (4096 lines cycled). */
    @Benchmark
    public int matchMinedLine() {
        int i = nextMined;
        nextMined = i + 1 == mined.length ? 0 : i + 1;
        return miner.match(mined[i]);
    }

    /** Pattern path: one record whose unformatted pattern the agent sent (16 patterns cycled). */
    @Benchmark
    public int matchPatternLine() {
        int i = nextPattern;
        nextPattern = i + 1 == patterns.length ? 0 : i + 1;
        return miner.matchPattern(patterns[i]);
    }
}
