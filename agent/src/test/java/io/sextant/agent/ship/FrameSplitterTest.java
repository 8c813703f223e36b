package io.sextant.agent.ship;

import io.sextant.protocol.Frame;
import io.sextant.protocol.FrameWriter;
import io.sextant.protocol.InferenceDecoder;
import io.sextant.protocol.InferenceEncoder;
import io.sextant.protocol.MessageType;
import io.sextant.protocol.Outcome;
import io.sextant.protocol.PredictionKind;
import io.sextant.protocol.WireWriter;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cutting a batch at record boundaries: every record arrives once, in order, unchanged, in valid
 * frames no longer than the limit, numbered on without gaps; a record longer than the limit alone
 * is dropped and counted.
 */
class FrameSplitterTest
{
    @Test
    void cutsAnInferenceBatchIntoValidFramesWithinTheLimit()
    {
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[64 * 1024]);
        final FrameWriter writer = new FrameWriter();
        final WireWriter payload = writer.begin(frame, 0, frame.capacity(), MessageType.INFERENCE, 9);
        final InferenceEncoder encoder = new InferenceEncoder().wrap(payload, 1_000_000L);
        final int records = 700;
        final String[] wide = new String[200];
        for (int f = 0; f < wide.length; f++)
        {
            wide[f] = "feature_" + f;
        }
        for (int i = 0; i < records; i++)
        {
            // Record 300 has 200 features, about 3.6 KiB: longer than the limit on its own.
            final int features = i == 300 ? wide.length : 1;
            assertThat(encoder.record(1_000_000L + i, "fraud", "v1", 10 + i, Outcome.OK, PredictionKind.CLASS, "c" + i,
                Double.NaN, 0.5, "p" + i, i == 300 ? wide : new String[] {"amount"}, new double[wide.length],
                features, new String[0], null, 0)).isTrue();
        }
        encoder.finish();
        final int length = writer.finish();
        assertThat(length).isGreaterThan(8 * 1024);

        final List<String> ids = new ArrayList<>();
        final List<Long> sequences = new ArrayList<>();
        final InferenceDecoder decoder = new InferenceDecoder();
        final FrameSplitter splitter = new FrameSplitter(64 * 1024);
        final int made = splitter.split(MessageType.INFERENCE, frame, 0, length, 2048, 5, (piece, pieceLength) ->
        {
            assertThat(pieceLength).isLessThanOrEqualTo(2048);
            assertThat(Frame.length(piece, 0)).isEqualTo(pieceLength);
            sequences.add(Frame.sequence(piece, 0));
            decoder.wrap(piece, Frame.HEADER_LENGTH, pieceLength);
            while (decoder.next())
            {
                ids.add(decoder.predictionId().toString());
                assertThat(decoder.timeNanos() - 1_000_000L).isEqualTo(Long.parseLong(ids.get(ids.size() - 1)
                    .substring(1)));
            }
            return true;
        });
        assertThat(made).isEqualTo(sequences.size()).isGreaterThan(4);
        assertThat(sequences.get(0)).isEqualTo(5);
        assertThat(sequences.get(sequences.size() - 1)).isEqualTo(5 + made - 1);
        assertThat(splitter.dropped()).isEqualTo(1);
        assertThat(ids).hasSize(records - 1).doesNotContain("p300");
        for (int i = 0, j = 0; i < records; i++)
        {
            if (i != 300)
            {
                assertThat(ids.get(j++)).isEqualTo("p" + i);
            }
        }
    }
}
