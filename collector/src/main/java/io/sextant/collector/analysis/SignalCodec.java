package io.sextant.collector.analysis;

import io.sextant.collector.analysis.anomaly.Severity;
import io.sextant.collector.store.CheckpointIn;
import io.sextant.collector.store.CheckpointOut;

/**
 * Writes and reads a {@link Signal} in a checkpoint (field by field; enums by name).
 */
public final class SignalCodec {

    private SignalCodec() {
    }

    public static void write(CheckpointOut out, Signal s) {
        out.putString(s.id()).putString(s.kind().name()).putString(s.source()).putString(s.service())
                .putString(s.subject()).putMap(s.labels()).putLong(s.startMillis()).putLong(s.endMillis())
                .putDouble(s.score()).putString(s.severity().name()).putDouble(s.observed())
                .putDouble(s.expectedLow()).putDouble(s.expectedHigh()).putBoolean(s.open()).putString(s.summary());
    }

    public static Signal read(CheckpointIn in) {
        try {
            return new Signal(in.getString(), Signal.Kind.valueOf(in.getString()), in.getString(), in.getString(),
                    in.getString(), in.getMap(), in.getLong(), in.getLong(), in.getDouble(),
                    Severity.valueOf(in.getString()), in.getDouble(), in.getDouble(), in.getDouble(), in.getBoolean(),
                    in.getString());
        } catch (IllegalArgumentException | NullPointerException ex) {
            throw new IllegalStateException("checkpoint holds a bad signal: " + ex.getMessage(), ex);
        }
    }
}
