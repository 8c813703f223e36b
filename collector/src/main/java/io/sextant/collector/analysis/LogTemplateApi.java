package io.sextant.collector.analysis;

import io.sextant.collector.api.ApiException;
import io.sextant.collector.api.ApiModule;
import io.sextant.collector.api.BadParameterException;
import io.sextant.collector.api.LogTemplateIds;
import io.sextant.collector.api.TimeParams;
import io.sextant.collector.http.Request;
import io.sextant.collector.store.LogEntry;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * {@code GET /api/v1/logs/templates?service&from&to&limit&new=true}: the log templates of each service with their
 * counts, first and last seen times, level mix and trend, newest (last seen) first; and the template ids of stored
 * records for the log search ({@link LogTemplateIds}).
 *
 * <p>A template is listed once per service that logged it. {@code from}/{@code to} keep the templates seen in that
 * span and cut the trend to it; {@code count}, {@code levels}, {@code firstSeen} and {@code lastSeen} are over the
 * template's whole life in that service (since the oldest journaled record). {@code new} is true for a template
 * first seen after the service's warm-up and within the last baseline span (60 windows, one hour by default).
 *
 * <p>Runs on HTTP threads and reads the stage's published snapshots (refreshed once a second): a template may take
 * a second to appear. While the journal is replayed the answer is the part rebuilt so far.
 */
public final class LogTemplateApi implements ApiModule, LogTemplateIds {

    static final String PATH = "/api/v1/logs/templates";
    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 10_000;

    private final LogTemplateStage stage;
    private final LongSupplier clockMillis;

    public LogTemplateApi(LogTemplateStage stage, LongSupplier clockMillis) {
        this.stage = stage;
        this.clockMillis = clockMillis;
    }

    @Override
    public Object respond(Request request) {
        if (!request.path().equals(PATH)) {
            return null;
        }
        if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
            throw new ApiException(405, "bad_method", "method " + request.method() + " not allowed on " + PATH
                    + "; use GET");
        }
        long now = clockMillis.getAsLong();
        long from = request.param("from") == null ? Long.MIN_VALUE : TimeParams.time("from", request.param("from"), now);
        long to = request.param("to") == null ? Long.MAX_VALUE : TimeParams.time("to", request.param("to"), now);
        if (to < from) {
            throw new BadParameterException("to", "is before 'from'");
        }
        int limit = limit(request.param("limit"));
        Boolean onlyNew = bool("new", request.param("new"));
        String service = request.param("service");
        return list(service, from, to, limit, onlyNew);
    }

    /** The answer's data: one map per (service, template), newest last-seen first. */
    List<Map<String, Object>> list(String service, long from, long to, int limit, Boolean onlyNew) {
        long window = stage.config().statistics().windowMillis();
        long newSpan = window * stage.config().statistics().historyWindows();
        long warmup = stage.config().statistics().warmupMillis();
        long now = stage.nowMillis();
        List<LogTemplateStage.TemplateView> selected = new ArrayList<>();
        Map<String, Boolean> isNew = new LinkedHashMap<>();
        for (Map.Entry<String, LogTemplateStage.ServiceView> e : stage.views().entrySet()) {
            if (service != null && !service.equals(e.getKey())) {
                continue;
            }
            LogTemplateStage.ServiceView sv = e.getValue();
            for (LogTemplateStage.TemplateView v : sv.templates.values()) {
                if (v.lastSeenMillis() < from || v.firstSeenMillis() > to) {
                    continue;
                }
                boolean fresh = v.firstSeenMillis() - sv.firstMillis >= warmup
                        && (now == Long.MIN_VALUE || v.firstSeenMillis() >= now - newSpan);
                if (onlyNew != null && onlyNew != fresh) {
                    continue;
                }
                selected.add(v);
                isNew.put(v.service() + '\u0000' + v.template().id(), fresh);
            }
        }
        selected.sort(Comparator.comparingLong(LogTemplateStage.TemplateView::lastSeenMillis).reversed()
                .thenComparing(Comparator.comparingLong(LogTemplateStage.TemplateView::count).reversed())
                .thenComparing(v -> v.template().id()).thenComparing(LogTemplateStage.TemplateView::service));
        List<Map<String, Object>> out = new ArrayList<>();
        for (LogTemplateStage.TemplateView v : selected) {
            if (out.size() >= limit) {
                break;
            }
            LogTemplateStage.ServiceView sv = stage.views().get(v.service());
            LogTemplateStage.Template t = v.template().current();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", t.id());
            m.put("service", v.service());
            m.put("template", t.text());
            m.put("exact", t.exact());
            m.put("count", v.count());
            m.put("firstSeen", v.firstSeenMillis() / 1000.0);
            m.put("lastSeen", v.lastSeenMillis() / 1000.0);
            Map<String, Long> levels = new LinkedHashMap<>();
            long[] byLevel = v.byLevel();
            for (int l = byLevel.length - 1; l >= 0; l--) {
                if (byLevel[l] > 0) {
                    levels.put(LogTemplateStage.LEVEL_NAMES[l], byLevel[l]);
                }
            }
            m.put("levels", levels);
            m.put("trend", trend(v, sv == null ? v.windowStartMillis() : sv.windowStartMillis, window,
                    stage.config().statistics().historyWindows() + 1, from, to));
            m.put("new", isNew.get(v.service() + '\u0000' + v.template().id()));
            out.add(m);
        }
        return out;
    }

    /**
     * {@code [[t, count]...]}, oldest first, window start times in seconds: the snapshot's windows, then empty
     * windows up to the service's open window (the template logged nothing since its snapshot).
     */
    private static List<double[]> trend(LogTemplateStage.TemplateView v, long serviceWindowStart, long window,
                                        int keep, long from, long to) {
        long[] counts = v.windows();
        List<double[]> out = new ArrayList<>();
        long start = v.windowStartMillis() - (long) (counts.length - 1) * window;
        for (long c : counts) {
            add(out, start, c, window, from, to);
            start += window;
        }
        while (start <= serviceWindowStart) {
            add(out, start, 0, window, from, to);
            start += window;
        }
        return out.size() > keep ? new ArrayList<>(out.subList(out.size() - keep, out.size())) : out;
    }

    private static void add(List<double[]> out, long start, long count, long window, long from, long to) {
        if (start + window > from && start <= to) {
            out.add(new double[] {start / 1000.0, count});
        }
    }

    private static int limit(String text) {
        if (text == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(text.trim());
            if (limit <= 0 || limit > MAX_LIMIT) {
                throw new BadParameterException("limit", "must be between 1 and " + MAX_LIMIT);
            }
            return limit;
        } catch (NumberFormatException ex) {
            throw new BadParameterException("limit", "'" + text + "' is not a whole number");
        }
    }

    private static Boolean bool(String name, String text) {
        if (text == null) {
            return null;
        }
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes" -> Boolean.TRUE;
            case "false", "0", "no" -> Boolean.FALSE;
            default -> throw new BadParameterException(name, "'" + text + "' is not true or false");
        };
    }

    // ---- LogTemplateIds ----

    @Override
    public String templateId(LogEntry entry) {
        LogTemplateStage.Template t = stage.templateOf(entry);
        return t == null ? null : t.id();
    }

    @Override
    public String resolve(String id) {
        return stage.resolve(id);
    }
}
