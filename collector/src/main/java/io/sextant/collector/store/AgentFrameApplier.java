package io.sextant.collector.store;

import io.sextant.collector.journal.JournalRecord;
import io.sextant.collector.mlops.feed.InferenceRecord;
import io.sextant.collector.mlops.feed.LabelRecord;
import io.sextant.collector.mlops.feed.ModelEventRecord;
import io.sextant.protocol.BufferSlice;
import io.sextant.protocol.CommandResult;
import io.sextant.protocol.DefineDecoder;
import io.sextant.protocol.Frame;
import io.sextant.protocol.Hello;
import io.sextant.protocol.InferenceDecoder;
import io.sextant.protocol.LabelsDecoder;
import io.sextant.protocol.LogsDecoder;
import io.sextant.protocol.MessageType;
import io.sextant.protocol.MetricsDecoder;
import io.sextant.protocol.ModelEvent;
import io.sextant.protocol.Outcome;
import io.sextant.protocol.PairCursor;
import io.sextant.protocol.PredictionKind;
import io.sextant.protocol.ValueEncoding;
import io.sextant.protocol.WireReader;
import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.Long2ObjectHashMap;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Turns journaled agent frames into store data. Keeps each connection's series dictionary (DEFINE
 * gives connection-local ids), so that replaying the journal resolves ids exactly as at ingest.
 * Agent series get the labels {@code service} and {@code instance} (the agent id) from the HELLO.
 *
 * <p>Store tailer thread only.
 */
final class AgentFrameApplier implements RecordApplier, CheckpointState
{
    private static final Object REFUSED = new Object();

    private static final class Connection
    {
        final String service;
        final String instance;
        final Int2ObjectHashMap<Object> dictionary = new Int2ObjectHashMap<>();

        Connection(final String service, final String instance)
        {
            this.service = service;
            this.instance = instance;
        }
    }

    private final SeriesStore store;
    private final Long2ObjectHashMap<Connection> connections = new Long2ObjectHashMap<>();
    private final Map<String, double[]> inferenceCounts = new HashMap<>();
    private final SliceInterner strings = new SliceInterner(4096);
    private final List<FrameModel> frameModels = new ArrayList<>();
    private static final int MAX_LATENCY_HIGHS = 1024;
    private final Map<String, Long> latencyHighs = new HashMap<>();
    private final String[] nameScratch = new String[1024];  // SPEC: at most 1,024 pairs in a list
    private List<String> numericNames;
    private List<String> categoricalNames;
    private final WireReader reader = new WireReader();
    private final DefineDecoder define = new DefineDecoder();
    private final MetricsDecoder metrics = new MetricsDecoder();
    private final LogsDecoder logs = new LogsDecoder();
    private final InferenceDecoder inference = new InferenceDecoder();
    private final LabelsDecoder labelsDecoder = new LabelsDecoder();
    private long unresolved;

    AgentFrameApplier(final SeriesStore store)
    {
        this.store = store;
    }

    /**
     * @return frames whose connection or series was unknown (its HELLO/DEFINE fell out of retention).
     */
    long unresolved()
    {
        return unresolved;
    }

    @Override
    public void save(final CheckpointOut out)
    {
        out.putLong(unresolved).putInt(connections.size());
        final Long2ObjectHashMap<Connection>.EntryIterator it = connections.entrySet().iterator();
        while (it.hasNext())
        {
            it.next();
            final Connection c = it.getValue();
            out.putLong(it.getLongKey()).putString(c.service).putString(c.instance).putInt(c.dictionary.size());
            c.dictionary.forEach((id, target) -> out.putInt(id).putInt(target == REFUSED ? -1 : ((Series)target).id()));
        }
        out.putInt(inferenceCounts.size());
        for (final Map.Entry<String, double[]> e : inferenceCounts.entrySet())
        {
            out.putString(e.getKey()).putDouble(e.getValue()[0]);
        }
    }

    @Override
    public void load(final CheckpointIn in, final SeriesStore store)
    {
        connections.clear();
        inferenceCounts.clear();
        unresolved = in.getLong();
        final int n = in.getCount(20);
        for (int i = 0; i < n; i++)
        {
            final long id = in.getLong();
            final Connection c = new Connection(in.getString(), in.getString());
            final int entries = in.getCount(8);
            for (int k = 0; k < entries; k++)
            {
                final int seriesId = in.getInt();
                final int target = in.getInt();
                final Series s = target < 0 ? null : store.byId(target);
                if (target >= 0 && s == null)
                {
                    throw new IllegalStateException("checkpoint connection refers to unknown series " + target);
                }
                c.dictionary.put(seriesId, s == null ? REFUSED : s);
            }
            connections.put(id, c);
        }
        final int counts = in.getCount(12);
        for (int i = 0; i < counts; i++)
        {
            inferenceCounts.put(in.getString(), new double[] {in.getDouble()});
        }
    }

    void closed(final long connectionId)
    {
        connections.remove(connectionId);
    }

    /**
     * Forgets connections opened before this process started: after a crash they never got a
     * CONNECTION_CLOSED record, and their agents have reconnected with new connection ids. Call once
     * the replay has caught up.
     *
     * @param startMillis when this process started; connection ids carry their creation time in
     *                    their high bits ({@code millis << 20}).
     * @return connections forgotten.
     */
    int forgetConnectionsBefore(final long startMillis)
    {
        final long threshold = startMillis << 20;
        int removed = 0;
        final Long2ObjectHashMap<Connection>.KeyIterator keys = connections.keySet().iterator();
        while (keys.hasNext())
        {
            if (keys.nextLong() < threshold)
            {
                keys.remove();
                removed++;
            }
        }
        return removed;
    }

    @Override
    public void apply(final DirectBuffer buffer, final int length)
    {
        final long connectionId = JournalRecord.connectionId(buffer, 0);
        final int frame = JournalRecord.HEADER_LENGTH;
        final MessageType type = Frame.type(buffer, frame);
        final int payload = frame + Frame.HEADER_LENGTH;
        if (type == MessageType.HELLO)
        {
            final Hello hello = Hello.decode(reader.wrap(buffer, payload, length));
            connections.put(connectionId, new Connection(hello.service(), hello.agentId().toString()));
            store.listener().onEvent(new AgentHello(JournalRecord.receivedNanos(buffer, 0) / 1_000_000L,
                hello.agentId(), hello.sessionId(), hello.service(), hello.host(), hello.pid(),
                hello.startTimeMillis(), hello.agentVersion()));
            return;
        }
        final Connection c = connections.get(connectionId);
        if (c == null)
        {
            unresolved++;
            return;
        }
        switch (type)
        {
            case DEFINE:
                define(c, buffer, payload, length);
                break;
            case METRICS:
                metrics(c, buffer, payload, length);
                break;
            case LOGS:
                logs(c, buffer, payload, length);
                break;
            case INFERENCE:
                inference(c, buffer, payload, length);
                break;
            case LABELS:
                labels(c, buffer, payload, length);
                break;
            case MODEL_EVENT:
            {
                final ModelEvent e = ModelEvent.decode(reader.wrap(buffer, payload, length));
                store.listener().onEvent(new ModelEventRecord(c.instance + '/' +
                    Long.toUnsignedString(JournalRecord.sessionId(buffer, 0)) + '/' + Frame.sequence(buffer, frame),
                    c.service, c.instance, e.timeMillis(), e.kind().name(), e.model(), e.version(), e.stage(),
                    e.previousVersion(), e.datasetId(), HexFormat.of().formatHex(e.datasetHash()),
                    HexFormat.of().formatHex(e.artifactDigest()), e.parameters(), e.metrics()));
                store.append(new LogEntry(e.timeMillis() * 1_000_000L, c.service, c.instance, "INFO",
                    "sextant.model-event", "", "model {} {} version {}", "model " + e.model() + " " + e.kind() +
                    " version " + e.version() + (e.stage().isEmpty() ? "" : " stage " + e.stage()) +
                    (e.previousVersion().isEmpty() ? "" : " previous " + e.previousVersion()), "", "", "",
                    Map.of("model", e.model(), "version", e.version(), "event", e.kind().name())));
                break;
            }
            case COMMAND_RESULT:
            {
                final CommandResult r = CommandResult.decode(reader.wrap(buffer, payload, length));
                store.append(new LogEntry(JournalRecord.receivedNanos(buffer, 0), c.service, c.instance,
                    "INFO", "sextant.command-result", "", "", r.output(), "", "", "",
                    Map.of("commandId", Long.toString(r.commandId()), "status", r.status().name())));
                break;
            }
            default:
                break;
        }
    }

    private void define(final Connection c, final DirectBuffer buffer, final int payload, final int length)
    {
        define.wrap(buffer, payload, length);
        while (define.next())
        {
            final Map<String, String> labels = new HashMap<>();
            final PairCursor cursor = define.labels();
            while (cursor.next())
            {
                labels.put(cursor.key().toString(), cursor.text().toString());
            }
            labels.put("service", c.service);
            labels.put("instance", c.instance);
            final String name = define.name().toString();
            final String unit = define.unit().toString();
            final Object series;
            switch (define.kind())
            {
                case COUNTER:
                    series = store.metric(name, Series.Kind.COUNTER, unit, labels);
                    break;
                case GAUGE:
                    series = store.metric(name, Series.Kind.GAUGE, unit, labels);
                    break;
                default:
                    series = store.histogram(name, unit, labels);
                    break;
            }
            c.dictionary.put(define.seriesId(), series == null ? REFUSED : series);
        }
    }

    private void metrics(final Connection c, final DirectBuffer buffer, final int payload, final int length)
    {
        metrics.wrap(buffer, payload, length);
        while (metrics.next())
        {
            final Object target = c.dictionary.get(metrics.seriesId());
            if (target instanceof MetricSeries)
            {
                if (metrics.encoding() != ValueEncoding.HISTOGRAM)
                {
                    store.append((MetricSeries)target, metrics.timeMillis(), metrics.value());
                }
            }
            else if (target instanceof HistogramSeries)
            {
                if (metrics.encoding() == ValueEncoding.HISTOGRAM)
                {
                    final BufferSlice slice = metrics.histogram();
                    final byte[] bytes = slice.toByteArray();
                    final Histogram h = Histogram.decodeFromByteBuffer(ByteBuffer.wrap(bytes), 0);
                    store.append((HistogramSeries)target, metrics.timeMillis(), h);
                }
            }
            else if (target == REFUSED)
            {
                store.append((MetricSeries)null, 0, 0);
            }
            else
            {
                unresolved++;
            }
        }
    }

    private void logs(final Connection c, final DirectBuffer buffer, final int payload, final int length)
    {
        logs.wrap(buffer, payload, length);
        while (logs.next())
        {
            Map<String, String> attributes = Map.of();
            final PairCursor a = logs.attributes();
            if (a.count() > 0)
            {
                attributes = new HashMap<>();
                while (a.next())
                {
                    attributes.put(a.key().toString(), a.text().toString());
                }
            }
            store.append(new LogEntry(logs.timeNanos(), c.service, c.instance, logs.level().name(),
                logs.logger().toString(), logs.thread().toString(), logs.pattern().toString(),
                logs.message().toString(), logs.exceptionClass().toString(), hex(logs.traceId()),
                hex(logs.spanId()), attributes));
        }
    }

    private void inference(final Connection c, final DirectBuffer buffer, final int payload, final int length)
    {
        // Per record: interned strings and one record for the analysis; per (model, version) of the frame: the
        // counts and the latency histogram, turned into series samples once the frame is read.
        inference.wrap(buffer, payload, length);
        frameModels.clear();
        long lastTime = 0;
        while (inference.next())
        {
            final String model = strings.intern(inference.model());
            final String version = strings.intern(inference.version());
            FrameModel m = null;
            for (int i = 0; i < frameModels.size(); i++)
            {
                final FrameModel candidate = frameModels.get(i);
                if (candidate.model == model && candidate.version == version)
                {
                    m = candidate;
                    break;
                }
            }
            if (m == null)
            {
                // Sized from the model's previous frame: an auto-resizing histogram grown from its smallest size
                // copied its counts a dozen times per frame.
                final Long lastMax = latencyHighs.get(model);
                m = new FrameModel(model, version, lastMax == null ? 0 : lastMax);
                frameModels.add(m);
            }
            m.outcomes[inference.outcome().ordinal()]++;
            m.latency.recordValue(Math.max(0, inference.latencyNanos()));
            lastTime = inference.timeNanos() / 1_000_000L;
            store.listener().onEvent(inferenceRecord(c, model, version, lastTime));
        }
        final Outcome[] outcomes = Outcome.values();
        for (final FrameModel m : frameModels)
        {
            for (int o = 0; o < outcomes.length; o++)
            {
                if (m.outcomes[o] == 0)
                {
                    continue;
                }
                final String outcome = outcomes[o].name();
                final double[] total = inferenceCounts.computeIfAbsent(
                    c.instance + '\u0001' + m.model + '\u0001' + m.version + '\u0001' + outcome, k -> new double[1]);
                total[0] += m.outcomes[o];
                final MetricSeries s = store.metric("sextant.inference.count", Series.Kind.COUNTER, "1",
                    Map.of("service", c.service, "instance", c.instance, "model", m.model, "version", m.version,
                        "outcome", outcome));
                store.append(s, lastTime, total[0]);
            }
            final HistogramSeries s = store.histogram("sextant.inference.latency", "ns",
                Map.of("service", c.service, "instance", c.instance, "model", m.model, "version", m.version));
            store.append(s, lastTime, m.latency);
            if (latencyHighs.size() < MAX_LATENCY_HIGHS || latencyHighs.containsKey(m.model))
            {
                latencyHighs.put(m.model, m.latency.getMaxValue());
            }
        }
        frameModels.clear();
    }

    /** One (model, version) of an inference frame: outcome counts and latencies of its records. */
    private static final class FrameModel
    {
        final String model;
        final String version;
        final long[] outcomes = new long[Outcome.values().length];
        final Histogram latency;

        FrameModel(final String model, final String version, final long expectedMax)
        {
            this.model = model;
            this.version = version;
            this.latency = new Histogram(1, Math.max(2, 2 * expectedMax), 3);
            latency.setAutoResize(true);
        }
    }

    private void labels(final Connection c, final DirectBuffer buffer, final int payload, final int length)
    {
        labelsDecoder.wrap(buffer, payload, length);
        long lastTime = 0;
        final Map<String, double[]> perModel = new HashMap<>();
        while (labelsDecoder.next())
        {
            final String model = labelsDecoder.model().toString();
            perModel.put(model, inferenceCounts.computeIfAbsent(c.instance + "\u0002" + model, k -> new double[1]));
            perModel.get(model)[0]++;
            lastTime = labelsDecoder.timeNanos() / 1_000_000L;
            final boolean isClass = labelsDecoder.kind() == PredictionKind.CLASS;
            store.listener().onEvent(new LabelRecord(model, labelsDecoder.predictionId().toString(), lastTime,
                isClass ? labelsDecoder.labelClass().toString() : null,
                isClass ? Double.NaN : labelsDecoder.labelNumber(), "agent"));
        }
        for (final Map.Entry<String, double[]> e : perModel.entrySet())
        {
            store.append(store.metric("sextant.inference.labels", Series.Kind.COUNTER, "1",
                Map.of("service", c.service, "instance", c.instance, "model", e.getKey())), lastTime, e.getValue()[0]);
        }
    }

    /**
     * The decoder's current inference as an immutable record for the analysis (model monitoring, the
     * label join, drift).
     */
    private InferenceRecord inferenceRecord(final Connection c, final String model, final String version,
        final long timeMillis)
    {
        final PairCursor num = inference.numericFeatures();
        final double[] numValues = new double[num.count()];
        int n = 0;
        while (num.next())
        {
            nameScratch[n] = strings.intern(num.key());
            numValues[n++] = num.number();
        }
        numericNames = sameOrNew(numericNames, n);
        final PairCursor cat = inference.categoricalFeatures();
        final String[] catValues = new String[cat.count()];
        int k = 0;
        while (cat.next())
        {
            nameScratch[k] = strings.intern(cat.key());
            catValues[k++] = strings.intern(cat.text());
        }
        categoricalNames = sameOrNew(categoricalNames, k);
        final PredictionKind kind = inference.predictionKind();
        final String id = inference.predictionId().byteLength() == 0 ? null : inference.predictionId().toString();
        return new InferenceRecord(c.service, c.instance, model, version, timeMillis, inference.latencyNanos(),
            inference.outcome() == Outcome.ERROR, kind == PredictionKind.CLASS ? strings.intern(inference.predictedClass()) : null,
            kind == PredictionKind.NUMBER ? inference.predictedNumber() : Double.NaN, inference.score(), id,
            numericNames, numValues.length == n ? numValues : java.util.Arrays.copyOf(numValues, n), categoricalNames,
            k == catValues.length ? List.of(catValues) : List.of(java.util.Arrays.copyOf(catValues, k)));
    }

    /**
     * @param last  the name list of the previous record.
     * @param count names now in {@link #nameScratch} (interned).
     * @return last when it holds the same names (the usual case: one model's features), else a new list.
     */
    private List<String> sameOrNew(final List<String> last, final int count)
    {
        if (last != null && last.size() == count)
        {
            boolean same = true;
            for (int i = 0; i < count && same; i++)
            {
                same = last.get(i) == nameScratch[i];
            }
            if (same)
            {
                return last;
            }
        }
        return List.of(java.util.Arrays.copyOf(nameScratch, count));
    }

    /** Lower-case hex of the bytes in wire order: for trace and span ids, exactly OTLP's rendering (SPEC.md 5.8). */
    private static String hex(final BufferSlice slice)
    {
        if (slice.byteLength() == 0)
        {
            return "";
        }
        final StringBuilder sb = new StringBuilder(slice.byteLength() * 2);
        for (int i = 0; i < slice.byteLength(); i++)
        {
            final int b = slice.byteAt(i) & 0xFF;
            sb.append(Character.forDigit(b >>> 4, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return sb.toString();
    }
}
