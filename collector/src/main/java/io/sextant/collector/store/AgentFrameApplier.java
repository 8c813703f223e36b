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
        inference.wrap(buffer, payload, length);
        final Map<String, Histogram> latencies = new HashMap<>();
        final Map<String, String[]> keys = new HashMap<>();
        long lastTime = 0;
        while (inference.next())
        {
            final String model = inference.model().toString();
            final String version = inference.version().toString();
            final String outcome = inference.outcome().name();
            final String countKey = c.instance + '\u0001' + model + '\u0001' + version + '\u0001' + outcome;
            inferenceCounts.computeIfAbsent(countKey, k -> new double[1])[0]++;
            keys.put(countKey, new String[] {model, version, outcome});
            final String latencyKey = model + '\u0001' + version;
            latencies.computeIfAbsent(latencyKey, k ->
            {
                final Histogram h = new Histogram(3);
                h.setAutoResize(true);
                return h;
            }).recordValue(Math.max(0, inference.latencyNanos()));
            keys.putIfAbsent(latencyKey, new String[] {model, version});
            lastTime = inference.timeNanos() / 1_000_000L;
            store.listener().onEvent(inferenceRecord(c, model, version, lastTime));
        }
        for (final Map.Entry<String, String[]> e : keys.entrySet())
        {
            final String[] k = e.getValue();
            if (k.length == 3)
            {
                final MetricSeries s = store.metric("sextant.inference.count", Series.Kind.COUNTER, "1",
                    Map.of("service", c.service, "instance", c.instance, "model", k[0], "version", k[1],
                        "outcome", k[2]));
                store.append(s, lastTime, inferenceCounts.get(e.getKey())[0]);
            }
            else
            {
                final HistogramSeries s = store.histogram("sextant.inference.latency", "ns",
                    Map.of("service", c.service, "instance", c.instance, "model", k[0], "version", k[1]));
                store.append(s, lastTime, latencies.get(e.getKey()));
            }
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
        final List<String> numNames = new ArrayList<>(num.count());
        final double[] numValues = new double[num.count()];
        int i = 0;
        while (num.next())
        {
            numNames.add(num.key().toString());
            numValues[i++] = num.number();
        }
        final PairCursor cat = inference.categoricalFeatures();
        final List<String> catNames = new ArrayList<>(cat.count());
        final List<String> catValues = new ArrayList<>(cat.count());
        while (cat.next())
        {
            catNames.add(cat.key().toString());
            catValues.add(cat.text().toString());
        }
        final PredictionKind kind = inference.predictionKind();
        final String id = inference.predictionId().byteLength() == 0 ? null : inference.predictionId().toString();
        return new InferenceRecord(c.service, c.instance, model, version, timeMillis, inference.latencyNanos(),
            inference.outcome() == Outcome.ERROR, kind == PredictionKind.CLASS ? inference.predictedClass().toString() : null,
            kind == PredictionKind.NUMBER ? inference.predictedNumber() : Double.NaN, inference.score(), id,
            numNames, java.util.Arrays.copyOf(numValues, i), catNames, catValues);
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
