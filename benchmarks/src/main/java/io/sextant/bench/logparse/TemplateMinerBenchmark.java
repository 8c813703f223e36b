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

    private TemplateMiner miner;
    private String[] lines;
    private int next;

    @Setup
    public void setUp() {
        miner = new TemplateMiner();
        lines = LINES.clone();
        for (String line : lines) {
            miner.match(line);
        }
    }

    /** One known line (cycling through the mix). */
    @Benchmark
    public int matchKnownLine() {
        int i = next;
        next = i + 1 == lines.length ? 0 : i + 1;
        return miner.match(lines[i]);
    }
}
