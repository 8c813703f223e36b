package io.sextant.bench.rca;

import io.sextant.collector.analysis.AnalysisContext;
import io.sextant.collector.analysis.AnalysisStage;
import io.sextant.collector.analysis.Signal;
import io.sextant.collector.analysis.anomaly.AnomalyTracker;
import io.sextant.collector.analysis.anomaly.Severity;
import io.sextant.collector.analysis.anomaly.SextantDetector;
import io.sextant.collector.store.LogEntry;
import io.sextant.collector.store.MetricSeries;
import io.sextant.collector.store.Series;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The harness's stand-in for the collector's detection stages until they are wired into the analysis: it runs
 * inside the collector's analysis loop (fed from the journal like any stage) and publishes the signals the
 * correlation stage groups.
 *
 * <ul>
 *   <li>every gauge series: the project's {@link SextantDetector}; a point scoring at least the default
 *       threshold ({@link AnomalyTracker#DEFAULT_OPEN_THRESHOLD}) is a candidate, confirmed as a
 *       {@code METRIC_ANOMALY} when the next point is also outside the range the detector expected at the
 *       candidate (a one-point blip is not an alert, like an alerting rule's {@code for}); it stays open while
 *       points stay outside that range and the detector's adapted range, and closes after 3 points that are not
 *       (or after 30 minutes). The detector flags the onset of a shift and
 *       then adapts, so the range held from the onset is what says the shift lasts;</li>
 *   <li>{@code process.uptime} going backwards: a {@code CHANGE} (the process restarted: a deployment);</li>
 *   <li>model events (stored as {@code sextant.model-event} log records): a {@code CHANGE} of model version;</li>
 *   <li>WARN and ERROR records per instance and template, counted in 30 s buckets: a {@code LOG_ANOMALY} when a
 *       bucket holds at least 10 and four times the template's usual count.</li>
 * </ul>
 *
 * It sees only what the collector stored; the scenario labels never reach it. Analysis thread only.
 */
final class HarnessDetectorStage implements AnalysisStage {

    private static final int WARM_UP_POINTS = 60;
    private static final long BUCKET_MILLIS = 30_000;
    private static final int MIN_BURST = 10;
    private static final int QUIET_POINTS = 3;
    private static final long MAX_OPEN_MILLIS = 1_800_000;

    private AnalysisContext context;
    private final Map<Integer, Track> tracks = new HashMap<>();
    private final Map<String, LogTrack> logTracks = new HashMap<>();
    private long published;

    private static final class Track {
        final String key;
        final Map<String, String> labels;
        final String name;
        final SextantDetector detector = new SextantDetector();
        Signal open;
        long pendingStart = Long.MIN_VALUE;
        double pendingScore;
        double low;
        double high;
        int quiet;
        long points;
        double last = Double.NaN;

        Track(Series s) {
            this.name = s.name();
            this.labels = s.labels();
            this.key = key(s.name(), s.labels());
        }
    }

    private static final class LogTrack {
        final String service;
        final String template;
        final String templateId;
        final String agent;
        long bucketStart;
        int count;
        double usual;
        int buckets;
        int quiet;
        Signal open;

        LogTrack(String service, String agent, String template, long bucketStart) {
            this.service = service;
            this.agent = agent;
            this.template = template;
            this.templateId = String.format(Locale.ROOT, "%08x", (service + "|" + template).hashCode());
            this.bucketStart = bucketStart;
        }
    }

    static String key(String name, Map<String, String> labels) {
        StringBuilder b = new StringBuilder(name).append('{');
        boolean first = true;
        for (Map.Entry<String, String> e : new TreeMap<>(labels).entrySet()) {
            if (!first) {
                b.append(',');
            }
            first = false;
            b.append(e.getKey()).append("=\"").append(e.getValue()).append('"');
        }
        return b.append('}').toString();
    }

    @Override
    public void start(AnalysisContext context) {
        this.context = context;
    }

    @Override
    public void onSample(MetricSeries series, long timeMillis, double value) {
        if (series.kind() != Series.Kind.GAUGE || series.name().startsWith("sextant.")) {
            return;
        }
        Track t = tracks.get(series.id());
        if (t == null) {
            t = new Track(series);
            tracks.put(series.id(), t);
        }
        t.points++;
        if (t.name.equals("process.uptime")) {
            if (t.last == t.last && value < t.last) {
                String service = t.labels.getOrDefault("service", "");
                publish(Signal.change("restart:" + t.key + "@" + timeMillis, "uptime-reset", service,
                        service + " restarted", t.labels, timeMillis, String.format(Locale.ROOT,
                                "%s restarted (process.uptime went from %.0f s to %.0f s): a deployment or restart",
                                service, t.last, value)));
            }
            t.last = value;
            return;
        }
        double low = t.detector.expectedLow();
        double high = t.detector.expectedHigh();
        double score = t.detector.update(timeMillis, value);
        low = Double.isNaN(t.detector.expectedLow()) ? low : t.detector.expectedLow();
        high = Double.isNaN(t.detector.expectedHigh()) ? high : t.detector.expectedHigh();
        if (t.points <= WARM_UP_POINTS) {
            return;
        }
        if (t.open != null) {
            // Open while the value is outside both the range expected at the onset and the detector's adapted
            // range: a shift the detector has absorbed (the new normal, or the return from a fault) ends it.
            boolean outside = (value < t.low || value > t.high) && (Double.isNaN(low) || value < low || value > high)
                    && timeMillis - t.open.startMillis() < MAX_OPEN_MILLIS;
            if (outside) {
                t.quiet = 0;
                t.open = new Signal(t.open.id(), t.open.kind(), t.open.source(), t.open.service(), t.open.subject(),
                        t.open.labels(), t.open.startMillis(), timeMillis, t.open.score(), t.open.severity(), value,
                        t.low, t.high, true, t.open.summary());
                publish(t.open);
            } else if (++t.quiet >= QUIET_POINTS) {
                publish(t.open.closed(timeMillis));
                t.open = null;
            }
        } else if (t.pendingStart != Long.MIN_VALUE) {
            if (value < t.low || value > t.high) {
                t.open = new Signal(t.key + "@" + t.pendingStart, Signal.Kind.METRIC_ANOMALY, SextantDetector.NAME,
                        t.labels.getOrDefault("service", ""), t.key, t.labels, t.pendingStart, timeMillis,
                        t.pendingScore, Severity.of(t.pendingScore), value, t.low, t.high, true,
                        String.format(Locale.ROOT, "%s at %.3g, expected %.3g to %.3g", t.name, value, t.low, t.high));
                t.quiet = 0;
                publish(t.open);
            }
            t.pendingStart = Long.MIN_VALUE;
        } else if (score >= AnomalyTracker.DEFAULT_OPEN_THRESHOLD && !Double.isNaN(low) && !Double.isNaN(high)) {
            t.pendingStart = timeMillis;
            t.pendingScore = score;
            t.low = low;
            t.high = high;
        }
    }

    @Override
    public void onLog(LogEntry e) {
        long t = e.timeNanos() / 1_000_000L;
        if (e.logger().equals("sextant.model-event")) {
            String model = e.attributes().getOrDefault("model", "");
            String version = e.attributes().getOrDefault("version", "");
            publish(Signal.change("model:" + e.service() + ":" + model + ":" + version + "@" + t, "model-event",
                    e.service(), "model " + model + " version " + version,
                    Map.of("service", e.service(), "model", model, "version", version), t,
                    "model " + model + " " + e.attributes().getOrDefault("event", "changed").toLowerCase(Locale.ROOT)
                            + " version " + version + " on " + e.service()));
            return;
        }
        if (LogEntry.rank(e.level()) < LogEntry.rank("WARN")) {
            return;
        }
        String template = e.template().isEmpty() ? e.message() : e.template();
        String k = e.service() + '\u0000' + e.agent() + '\u0000' + template;
        LogTrack lt = logTracks.get(k);
        if (lt == null) {
            lt = new LogTrack(e.service(), e.agent(), template, t - t % BUCKET_MILLIS);
            logTracks.put(k, lt);
        }
        roll(lt, t);
        lt.count++;
    }

    @Override
    public void onTick(long nowMillis) {
        for (LogTrack lt : logTracks.values()) {
            roll(lt, nowMillis);
        }
    }

    private void roll(LogTrack lt, long t) {
        while (t >= lt.bucketStart + BUCKET_MILLIS) {
            long end = lt.bucketStart + BUCKET_MILLIS - 1;
            int c = lt.count;
            boolean anomalous = c >= MIN_BURST && c > 4 * (lt.usual + 1);
            if (anomalous) {
                lt.quiet = 0;
                double score = Math.min(1.0, 0.5 + c / (10.0 * (lt.usual + 1)));
                if (lt.open == null) {
                    lt.open = logSignal(lt, lt.bucketStart, end, score, c, true);
                } else {
                    lt.open = logSignal(lt, lt.open.startMillis(), end, Math.max(score, lt.open.score()), c, true);
                }
                publish(lt.open);
            } else {
                lt.usual = lt.buckets == 0 ? c : 0.9 * lt.usual + 0.1 * c;
                lt.buckets++;
                if (lt.open != null && ++lt.quiet >= 4) {
                    publish(lt.open.closed(end));
                    lt.open = null;
                }
            }
            lt.count = 0;
            lt.bucketStart += BUCKET_MILLIS;
            if (c == 0 && lt.open == null && t - lt.bucketStart > 10 * BUCKET_MILLIS) {
                long skipped = (t - lt.bucketStart) / BUCKET_MILLIS;
                lt.usual *= Math.pow(0.9, skipped);
                lt.bucketStart += skipped * BUCKET_MILLIS;
            }
        }
    }

    private static Signal logSignal(LogTrack lt, long start, long end, double score, int count, boolean open) {
        return new Signal("log:" + lt.templateId + ":" + lt.agent + "@" + start, Signal.Kind.LOG_ANOMALY, "template-rate", lt.service,
                lt.templateId, Map.of("service", lt.service, "instance", lt.agent, "template", lt.templateId, "templateText", lt.template),
                start, end, score, Severity.of(score), count, 0, 3 * (lt.usual + 1), open,
                String.format(Locale.ROOT, "%d WARN/ERROR records of '%s' in 30 s (usually %.1f)", count, lt.template,
                        lt.usual));
    }

    private void publish(Signal s) {
        published++;
        context.publish(s);
    }

    long published() {
        return published;
    }
}
