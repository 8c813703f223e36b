package io.sextant.collector.config;

import java.util.List;

import static io.sextant.collector.config.Setting.Type.CHOICE;
import static io.sextant.collector.config.Setting.Type.COUNT;
import static io.sextant.collector.config.Setting.Type.DURATION;
import static io.sextant.collector.config.Setting.Type.LIST;
import static io.sextant.collector.config.Setting.Type.PATH;
import static io.sextant.collector.config.Setting.Type.PORT;
import static io.sextant.collector.config.Setting.Type.SIZE;
import static io.sextant.collector.config.Setting.Type.STRING;

/**
 * Every collector key, declared once. The README table ({@code collector/README-config.md}) is
 * generated from this list and a test keeps the two in sync.
 */
public final class Settings
{
    public static final Setting DATA_DIR = new Setting("data-dir", PATH, "./data",
        "Folder of the journal (Chronicle Queue cycle files) and other collector state.");
    public static final Setting BIND_ADDRESS = new Setting("bind-address", STRING, "0.0.0.0",
        "Address the ingest, OTLP and HTTP servers listen on.");
    public static final Setting INGEST_PORT = new Setting("ingest-port", PORT, "4710",
        "TCP port of the binary agent protocol.");
    public static final Setting OTLP_PORT = new Setting("otlp-port", PORT, "4318",
        "TCP port of the OTLP/HTTP receiver (/v1/metrics, /v1/logs, /v1/traces).");
    public static final Setting HTTP_PORT = new Setting("http-port", PORT, "4720",
        "TCP port of the query API (/api/v1), /metrics, /healthz and /readyz.");
    public static final Setting TOKENS = new Setting("tokens", LIST, "",
        "Comma-separated agent tokens accepted in HELLO; empty accepts every agent.");
    public static final Setting ROLL_CYCLE = new Setting("roll-cycle", CHOICE, "FAST_HOURLY",
        "Journal roll cycle: FIVE_MINUTELY, TEN_MINUTELY, TWENTY_MINUTELY, HALF_HOURLY, FAST_HOURLY, TWO_HOURLY, " +
        "FOUR_HOURLY, SIX_HOURLY, FAST_DAILY, WEEKLY (TEST_SECONDLY for tests).");
    public static final Setting RETENTION_AGE = new Setting("retention-age", DURATION, "7d",
        "Journal cycles that ended longer ago than this are deleted (the current cycle never is).");
    public static final Setting RETENTION_SIZE = new Setting("retention-size", SIZE, "10GiB",
        "When journal cycle files take more than this, the oldest are deleted (the current cycle never is).");
    public static final Setting JOURNAL_SYNC = new Setting("journal-sync", CHOICE, "none",
        "none: an ACK means written to the memory-mapped journal (survives a process crash); " +
        "batch: msync each batch before its ACKs (also survives power loss, slower).");
    public static final Setting RING_SIZE = new Setting("ring-size", SIZE, "64MiB",
        "Ring buffer between ingest threads and the journal writer; a message may take up to an eighth of it.");
    public static final Setting ANALYSIS_RING_SIZE = new Setting("analysis-ring-size", SIZE, "16MiB",
        "Ring buffer between the store and the analysis thread (a power of two); when full the store waits.");
    public static final Setting MAX_STORE_LAG = new Setting("max-store-lag", COUNT, "20000",
        "Journal records not yet applied to the store and analysis beyond which ingest stops reading (agents) " +
        "and answers 503 (OTLP) until they catch up.");
    public static final Setting SIGNAL_CAPACITY = new Setting("signal-capacity", COUNT, "100000",
        "Most anomalies, change events and other signals kept for the API; the oldest are forgotten first.");
    public static final Setting MAX_FRAME_LENGTH = new Setting("max-frame-length", SIZE, "1MiB",
        "Largest protocol frame accepted, header included (at most 16MiB).");
    public static final Setting MAX_CONNECTIONS = new Setting("max-connections", COUNT, "1024",
        "Most agent connections open at once; further connections are refused.");
    public static final Setting HEARTBEAT_INTERVAL = new Setting("heartbeat-interval", DURATION, "5s",
        "Heartbeat interval sent to agents in WELCOME.");
    public static final Setting SERIES_LIMIT = new Setting("series-limit", COUNT, "100000",
        "Most distinct series in the store; samples of further new series are refused and counted.");
    public static final Setting STORE_RETENTION = new Setting("store-retention", DURATION, "24h",
        "How long metric samples, histograms and logs stay queryable in memory.");
    public static final Setting LOG_CAPACITY = new Setting("log-capacity", COUNT, "200000",
        "Most recent log records kept in memory for search.");
    public static final Setting OTLP_MAX_BODY = new Setting("otlp-max-body", SIZE, "4MiB",
        "Largest OTLP request body (after gzip decompression); larger requests get 413.");
    public static final Setting REMEDIATION_RULES = new Setting("remediation-rules", PATH, "",
        "JSON file of remediation rules (collector/README-remediation.md); empty: no rules. A bad file stops start-up.");

    public static final Setting ANOMALY_MAX_SERIES = new Setting("anomaly-max-series", COUNT, "2000",
        "Most series analysed for anomalies and forecasts (a histogram counts twice: p99 and count; about 50KiB " +
        "each); further new series are not analysed and counted.");
    public static final Setting LATENCY_SLO = new Setting("latency-slo", DURATION, "1s",
        "Latency objective a p99 latency series (spans, inference) is forecast against: a crossing predicted " +
        "within forecast-horizon is a PREDICTED signal.");
    public static final Setting FORECAST_HORIZON = new Setting("forecast-horizon", DURATION, "1h",
        "How far ahead threshold crossings (heap or pool max, utilization, latency SLO) are predicted.");

    public static final Setting MODEL_WINDOW = new Setting("model-window", DURATION, "5m",
        "Length of the model-monitoring windows: latency, request and error counts, drift tests and quality per version.");
    public static final Setting LABEL_HORIZON = new Setting("label-horizon", DURATION, "7d",
        "How long a prediction waits for its delayed label; later labels are not joined (keep retention-age at least this long).");
    public static final Setting LABEL_JOIN_CAPACITY = new Setting("label-join-capacity", COUNT, "500000",
        "Most predictions waiting for labels at once (about 200 bytes each); beyond it the oldest are dropped and counted.");

    /** All keys, in README order. */
    public static final Setting LOG_TEMPLATE_LIMIT = new Setting("log-template-limit", COUNT, "100000",
        "Most log templates mined or taken from agent patterns, and most service-template statistics; lines of " +
        "further new templates get no template and are counted (sextant_log_templates_refused_total).");
    public static final Setting LOG_TEMPLATE_WINDOW = new Setting("log-template-window", DURATION, "1m",
        "Window of the per-template log counts (the trend and the rate anomalies); 60 windows are the baseline.");
    public static final Setting LOG_TEMPLATE_WARMUP = new Setting("log-template-warmup", DURATION, "10m",
        "Time after a service's first log line during which new templates are expected, not anomalies.");
    public static final Setting CHECKPOINT_INTERVAL = new Setting("checkpoint-interval", DURATION, "5m",
        "How often the store, the ingest sequence marks and the appliers' state are checkpointed to " +
        "the checkpoint folder of data-dir (also at a clean shutdown), so that a restart replays only the journal after it; " +
        "0 or off: no checkpoints, a restart replays the whole journal.");
    public static final Setting ANALYSIS_WARMUP = new Setting("analysis-warmup", DURATION, "1h",
        "At a restart from a checkpoint, journal time before the checkpoint that is re-fed to the analysis " +
        "(store unchanged) so detectors and templates start warm; 0 or off: none.");
    public static final Setting CORRELATION_WINDOW = new Setting("correlation-window", DURATION, "5m",
        "How far apart in event time a signal and an incident (from its first to its latest symptom) may be and still " +
        "group into one incident.");
    public static final Setting CORRELATION_QUIET = new Setting("correlation-quiet", DURATION, "3m",
        "Event time an incident waits, once every member recovered, without a new signal before it resolves.");
    public static final Setting CORRELATION_CONFIRM = new Setting("correlation-confirm", DURATION, "1m",
        "A lone weak signal (score under 0.8) becomes an incident only when a related signal of another subject " +
        "starts within this event time of it; until then it is held back as noise.");
    public static final List<Setting> ALL = List.of(
        DATA_DIR, BIND_ADDRESS, INGEST_PORT, OTLP_PORT, HTTP_PORT, TOKENS, ROLL_CYCLE, RETENTION_AGE, RETENTION_SIZE,
        JOURNAL_SYNC, RING_SIZE, MAX_FRAME_LENGTH, MAX_CONNECTIONS, HEARTBEAT_INTERVAL, SERIES_LIMIT,
        STORE_RETENTION, LOG_CAPACITY, OTLP_MAX_BODY, ANALYSIS_RING_SIZE, SIGNAL_CAPACITY, MAX_STORE_LAG,
        ANOMALY_MAX_SERIES, LATENCY_SLO, FORECAST_HORIZON, LOG_TEMPLATE_LIMIT, LOG_TEMPLATE_WINDOW,
        LOG_TEMPLATE_WARMUP, CORRELATION_WINDOW, CORRELATION_QUIET, CORRELATION_CONFIRM, REMEDIATION_RULES,
        MODEL_WINDOW, LABEL_HORIZON, LABEL_JOIN_CAPACITY, CHECKPOINT_INTERVAL, ANALYSIS_WARMUP);

    /** Allowed words of the {@link Setting.Type#CHOICE} keys. */
    static List<String> choices(final Setting setting)
    {
        if (setting == ROLL_CYCLE)
        {
            return List.of("FIVE_MINUTELY", "TEN_MINUTELY", "TWENTY_MINUTELY", "HALF_HOURLY", "FAST_HOURLY",
                "TWO_HOURLY", "FOUR_HOURLY", "SIX_HOURLY", "FAST_DAILY", "WEEKLY", "TEST_SECONDLY");
        }
        if (setting == JOURNAL_SYNC)
        {
            return List.of("none", "batch");
        }
        return List.of();
    }

    private Settings()
    {
    }

    /**
     * @return the key table in Markdown, as kept in {@code collector/README-config.md}.
     */
    public static String markdownTable()
    {
        final StringBuilder out = new StringBuilder();
        out.append("| system property | environment variable | type | default | meaning |\n");
        out.append("|---|---|---|---|---|\n");
        for (final Setting s : ALL)
        {
            out.append("| `").append(s.property()).append("` | `").append(s.env()).append("` | ")
                .append(s.type().label()).append(" | ")
                .append(s.defaultValue().isEmpty() ? "(none)" : "`" + s.defaultValue() + "`").append(" | ")
                .append(s.meaning()).append(" |\n");
        }
        return out.toString();
    }
}
