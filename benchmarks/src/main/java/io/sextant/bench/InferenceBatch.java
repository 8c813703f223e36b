package io.sextant.bench;

import io.sextant.protocol.FrameWriter;
import io.sextant.protocol.InferenceEncoder;
import io.sextant.protocol.MessageType;
import io.sextant.protocol.Outcome;
import io.sextant.protocol.PredictionKind;
import org.agrona.MutableDirectBuffer;

import java.util.Random;

/**
 * A batch of 16 inference records of a fraud model, each with 8 numeric features, a class
 * prediction, a score and a prediction id.
 *
 * <p>Not thread-safe: one per benchmark thread.
 */
final class InferenceBatch
{
    static final int RECORDS = 16;
    static final int FEATURES = 8;
    static final long BASE_TIME_NANOS = 1_764_000_000_000_000_000L;

    private static final CharSequence[] FEATURE_NAMES = {
        "amount", "age_days", "tx_last_hour", "tx_last_day", "avg_amount_30d", "distance_km", "hour", "risk_score"};
    private static final CharSequence[] CLASSES = {"legit", "fraud"};
    private static final CharSequence[] NO_STRINGS = new CharSequence[0];

    final double[][] features = new double[RECORDS][FEATURES];
    final double[] scores = new double[RECORDS];
    final long[] latencies = new long[RECORDS];
    final CharSequence[] predictionIds = new CharSequence[RECORDS];

    InferenceBatch()
    {
        final Random random = new Random(7);
        for (int r = 0; r < RECORDS; r++)
        {
            for (int f = 0; f < FEATURES; f++)
            {
                features[r][f] = random.nextDouble() * 1000;
            }
            features[r][6] = random.nextInt(24);
            scores[r] = random.nextDouble();
            latencies[r] = 200_000 + random.nextInt(2_000_000);
            predictionIds[r] = "pred-" + Long.toHexString(random.nextLong());
        }
    }

    /**
     * Encodes the batch as a complete INFERENCE frame.
     *
     * @return the frame length in bytes.
     */
    int encode(
        final FrameWriter frames, final InferenceEncoder inference, final MutableDirectBuffer buffer,
        final long sequence)
    {
        inference.wrap(frames.begin(buffer, 0, buffer.capacity(), MessageType.INFERENCE, sequence), BASE_TIME_NANOS);
        for (int r = 0; r < RECORDS; r++)
        {
            inference.record(BASE_TIME_NANOS + r * 1_000_000L, "fraud-detector", "2026.11.3", latencies[r],
                Outcome.OK, PredictionKind.CLASS, CLASSES[scores[r] > 0.9 ? 1 : 0], Double.NaN, scores[r],
                predictionIds[r], FEATURE_NAMES, features[r], FEATURES, NO_STRINGS, NO_STRINGS, 0);
        }
        inference.finish();
        return frames.finish();
    }
}
