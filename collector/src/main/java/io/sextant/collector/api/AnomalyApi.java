package io.sextant.collector.api;

import io.sextant.collector.analysis.ExpectedRing;
import io.sextant.collector.analysis.MetricAnomalyStage;
import io.sextant.collector.analysis.Signal;
import io.sextant.collector.analysis.SignalLog;
import io.sextant.collector.analysis.anomaly.Severity;
import io.sextant.collector.analysis.forecast.Forecast;
import io.sextant.collector.analysis.forecast.HoltWintersForecaster;
import io.sextant.collector.analysis.forecast.TimeToThreshold;
import io.sextant.collector.http.Request;
import io.sextant.collector.store.Catalog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * The signal and anomaly endpoints of {@code collector/API.md}: {@code /api/v1/signals}, {@code /anomalies},
 * {@code /changes}, {@code /expected} and {@code /forecast}.
 *
 * <p>Runs on HTTP threads. Reads the {@link SignalLog} (thread-safe) and the stage's per-series views: the
 * expected band from each series' lock-free {@link ExpectedRing}, forecasts from the frozen forecaster copy
 * the analysis thread publishes.
 */
public final class AnomalyApi implements ApiModule
{
    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 10_000;
    private static final int MAX_FORECAST_POINTS = 500;
    private static final int MAX_FORECAST_STEPS = 100_000;

    private final SignalLog signals;
    private final MetricAnomalyStage stage;
    private final LongSupplier clock;

    public AnomalyApi(final SignalLog signals, final MetricAnomalyStage stage, final LongSupplier clockMillis)
    {
        this.signals = signals;
        this.stage = stage;
        this.clock = clockMillis;
    }

    @Override
    public Object respond(final Request request)
    {
        final String path = request.path();
        switch (path)
        {
            case "/api/v1/signals":
            case "/api/v1/anomalies":
            case "/api/v1/changes":
            case "/api/v1/expected":
            case "/api/v1/forecast":
                break;
            default:
                return null;
        }
        if (!request.method().equals("GET") && !request.method().equals("HEAD"))
        {
            throw new ApiException(405, "bad_method", "method " + request.method() + " not allowed on " + path +
                "; use GET");
        }
        switch (path)
        {
            case "/api/v1/signals":
                return signals(request);
            case "/api/v1/anomalies":
                return anomalies(request);
            case "/api/v1/changes":
                return changes(request);
            case "/api/v1/expected":
                return expected(request);
            default:
                return forecast(request);
        }
    }

    private List<Map<String, Object>> signals(final Request request)
    {
        final Signal.Kind kind = kind(request.param("kind"));
        final Predicate<Signal> filter = common(request, kind, true);
        return json(signals.find(filter, limit(request.param("limit"))));
    }

    private List<Map<String, Object>> anomalies(final Request request)
    {
        final Signal.Kind kind = kind(request.param("kind"));
        if (kind == Signal.Kind.CHANGE || kind == Signal.Kind.PREDICTED)
        {
            throw new BadParameterException("kind", "'" + request.param("kind") + "' is not an anomaly kind; " +
                "use /api/v1/changes or /api/v1/forecast, or one of METRIC_ANOMALY, MULTIVARIATE_ANOMALY, " +
                "LOG_ANOMALY, DRIFT, QUALITY");
        }
        final String detector = request.param("detector");
        final Predicate<Signal> base = common(request, kind, true);
        final Predicate<Signal> filter = s -> s.kind() != Signal.Kind.CHANGE && s.kind() != Signal.Kind.PREDICTED &&
            (detector == null || detector.equals(s.source())) && base.test(s);
        return json(signals.find(filter, limit(request.param("limit"))));
    }

    private List<Map<String, Object>> changes(final Request request)
    {
        final Predicate<Signal> filter = common(request, Signal.Kind.CHANGE, false);
        return json(signals.find(filter, limit(request.param("limit"))));
    }

    private Predicate<Signal> common(final Request request, final Signal.Kind kind, final boolean withSeverityAndOpen)
    {
        final long now = clock.getAsLong();
        final String service = request.param("service");
        final long from = request.param("from") == null ? Long.MIN_VALUE :
            TimeParams.time("from", request.param("from"), now);
        final long to = request.param("to") == null ? Long.MAX_VALUE : TimeParams.time("to", request.param("to"), now);
        if (from > to)
        {
            throw new BadParameterException("to", "must not be before 'from'");
        }
        Severity severity = null;
        Boolean open = null;
        if (withSeverityAndOpen)
        {
            severity = severity(request.param("severity"));
            open = bool("open", request.param("open"));
        }
        return SignalLog.filter(kind, service, severity, from, to, open);
    }

    private Map<String, Object> expected(final Request request)
    {
        final MetricAnomalyStage.View view = one(request);
        final long now = clock.getAsLong();
        final long end = request.param("end") == null ? Long.MAX_VALUE : TimeParams.time("end", request.param("end"), now);
        final long start = request.param("start") == null ? Long.MIN_VALUE :
            TimeParams.time("start", request.param("start"), now);
        if (start > end)
        {
            throw new BadParameterException("end", "must not be before 'start'");
        }
        final long step = request.param("step") == null ? 0 : TimeParams.step("step", request.param("step"));
        final ExpectedRing.Points p = view.ring().read(start, end);
        final List<Object[]> values = new ArrayList<>();
        final List<Object[]> low = new ArrayList<>();
        final List<Object[]> high = new ArrayList<>();
        for (int i = 0; i < p.count(); i++)
        {
            // with a step, the last point of each step-long bucket stands for it
            if (step > 0 && i + 1 < p.count() && Math.floorDiv(p.times()[i], step) == Math.floorDiv(p.times()[i + 1], step))
            {
                continue;
            }
            final double t = p.times()[i] / 1000.0;
            values.add(new Object[] {t, SignalJson.number(p.values()[i])});
            low.add(new Object[] {t, SignalJson.number(p.lows()[i])});
            high.add(new Object[] {t, SignalJson.number(p.highs()[i])});
        }
        final Predicate<Signal> inRange = SignalLog.filter(Signal.Kind.METRIC_ANOMALY, null, null, start, end, null);
        final String subject = view.subject();
        final List<Signal> anomalies = signals.find(s -> subject.equals(s.subject()) && inRange.test(s), MAX_LIMIT);
        final Map<String, Object> data = new LinkedHashMap<>();
        data.put("metric", metric(view));
        data.put("values", values);
        data.put("low", low);
        data.put("high", high);
        data.put("anomalies", json(anomalies));
        return data;
    }

    private Object forecast(final Request request)
    {
        if (request.param("series") == null)
        {
            final Predicate<Signal> filter = common(request, Signal.Kind.PREDICTED, false);
            final Boolean open = bool("open", request.param("open"));
            return json(signals.find(s -> filter.test(s) && s.open() == (open == null || open),
                limit(request.param("limit"))));
        }
        final long horizon = request.param("horizon") == null ? stage.horizonMillis() :
            TimeParams.step("horizon", request.param("horizon"));
        double threshold = Double.NaN;
        if (request.param("threshold") != null)
        {
            try
            {
                threshold = Double.parseDouble(request.param("threshold").trim());
            }
            catch (final NumberFormatException ex)
            {
                throw new BadParameterException("threshold", "'" + request.param("threshold") + "' is not a number");
            }
            if (!Double.isFinite(threshold))
            {
                throw new BadParameterException("threshold", "must be a finite number");
            }
        }
        final MetricAnomalyStage.View view = one(request);
        if (request.param("threshold") == null)
        {
            threshold = view.threshold();
        }
        final HoltWintersForecaster fc = view.forecast();
        final List<Object[]> points = new ArrayList<>();
        Double season = null;
        Double timeToThreshold = null;
        if (fc != null && fc.intervalMillis() > 0)
        {
            final int steps = (int)Math.max(1, Math.min(MAX_FORECAST_STEPS, horizon / fc.intervalMillis()));
            final int stride = Math.max(1, (steps + MAX_FORECAST_POINTS - 1) / MAX_FORECAST_POINTS);
            for (int h = stride; h <= steps; h += stride)
            {
                final Forecast f = fc.forecastWithInterval(h);
                points.add(new Object[] {f.atMillis() / 1000.0, SignalJson.number(f.mean()), SignalJson.number(f.low()),
                    SignalJson.number(f.high())});
            }
            season = fc.periodMillis() > 0 ? fc.periodMillis() / 1000.0 : null;
            if (Double.isFinite(threshold))
            {
                final TimeToThreshold ttt = fc.timeToThreshold(threshold, steps, false);
                if (ttt.expected())
                {
                    timeToThreshold = (ttt.atMillis() - fc.lastMillis()) / 1000.0;
                }
            }
        }
        final Map<String, Object> data = new LinkedHashMap<>();
        data.put("metric", metric(view));
        data.put("points", points);
        data.put("season", season);
        data.put("timeToThreshold", timeToThreshold);
        data.put("threshold", SignalJson.number(threshold));
        return data;
    }

    private MetricAnomalyStage.View one(final Request request)
    {
        final String text = request.param("series");
        final List<MetricAnomalyStage.View> views = stage.select(Selector.parse("series", text));
        if (views.isEmpty())
        {
            throw ApiException.notFound("no analysed series matches " + text + " (histograms are analysed as " +
                "<name>" + MetricAnomalyStage.P99_SUFFIX + " and <name>" + MetricAnomalyStage.COUNT_SUFFIX + ")");
        }
        if (views.size() > 1)
        {
            final StringBuilder names = new StringBuilder();
            for (int i = 0; i < Math.min(3, views.size()); i++)
            {
                names.append(i == 0 ? "" : ", ").append(views.get(i).subject());
            }
            throw new BadParameterException("series", "matches " + views.size() + " analysed series (" + names +
                (views.size() > 3 ? ", ..." : "") + "); add labels so that it matches one");
        }
        return views.get(0);
    }

    private static Map<String, String> metric(final MetricAnomalyStage.View view)
    {
        final Map<String, String> m = new LinkedHashMap<>();
        m.put(Catalog.NAME_LABEL, view.name());
        m.putAll(view.labels());
        return m;
    }

    private static List<Map<String, Object>> json(final List<Signal> list)
    {
        final List<Map<String, Object>> out = new ArrayList<>(list.size());
        for (final Signal s : list)
        {
            out.add(SignalJson.of(s));
        }
        return out;
    }

    private static Signal.Kind kind(final String text)
    {
        if (text == null)
        {
            return null;
        }
        try
        {
            return Signal.Kind.valueOf(text.trim().toUpperCase(Locale.ROOT));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new BadParameterException("kind", "'" + text + "' is not one of " +
                java.util.Arrays.toString(Signal.Kind.values()));
        }
    }

    private static Severity severity(final String text)
    {
        if (text == null)
        {
            return null;
        }
        try
        {
            return Severity.valueOf(text.trim().toUpperCase(Locale.ROOT));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new BadParameterException("severity", "'" + text + "' is not one of INFO, WARNING, CRITICAL " +
                "(the minimum severity returned)");
        }
    }

    private static Boolean bool(final String parameter, final String text)
    {
        if (text == null)
        {
            return null;
        }
        switch (text.trim().toLowerCase(Locale.ROOT))
        {
            case "true":
                return Boolean.TRUE;
            case "false":
                return Boolean.FALSE;
            default:
                throw new BadParameterException(parameter, "'" + text + "' is not true or false");
        }
    }

    private static int limit(final String text)
    {
        if (text == null)
        {
            return DEFAULT_LIMIT;
        }
        try
        {
            final int limit = Integer.parseInt(text.trim());
            if (limit <= 0 || limit > MAX_LIMIT)
            {
                throw new BadParameterException("limit", "must be between 1 and " + MAX_LIMIT);
            }
            return limit;
        }
        catch (final NumberFormatException ex)
        {
            throw new BadParameterException("limit", "'" + text + "' is not a whole number");
        }
    }
}
