package io.sextant.collector.mlops.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LabelJoinTest {

    static final long DAY = 24L * 3600 * 1000;

    private final List<String> joined = new ArrayList<>();
    private final JoinSink sink = (model, version, pt, lt, p, l) -> joined.add(model + "/" + version + "@" + pt + "->" + lt);

    @Test
    void joinsLabelsArrivingDaysLaterWithinTheHorizon() {
        LabelJoin join = new LabelJoin(LabelJoin.DEFAULT_HORIZON_MS, 100, sink);
        join.onPrediction("p1", "fraud", "2", 0, Prediction.classification(1));
        join.onPrediction("p2", "fraud", "2", DAY, Prediction.classification(0));
        assertThat(join.onLabel("p1", 6 * DAY, Label.ofClass(1))).isTrue();
        assertThat(joined).containsExactly("fraud/2@0->" + 6 * DAY);
        assertThat(join.pending()).isEqualTo(1);
        assertThat(join.onLabel("p1", 6 * DAY, Label.ofClass(1))).isFalse();
        assertThat(join.unmatchedLabels()).isEqualTo(1);
    }

    @Test
    void expiresPredictionsPastTheHorizonByEventTime() {
        LabelJoin join = new LabelJoin(7 * DAY, 100, sink);
        join.onPrediction("old", "m", "1", 0, Prediction.regression(1));
        join.onPrediction("new", "m", "1", 5 * DAY, Prediction.regression(1));
        join.advance(7 * DAY + 1);
        assertThat(join.expired()).isEqualTo(1);
        assertThat(join.pending()).isEqualTo(1);
        assertThat(join.onLabel("old", 7 * DAY + 2, Label.ofValue(1))).isFalse();
        assertThat(join.onLabel("new", 7 * DAY + 2, Label.ofValue(1))).isTrue();
    }

    @Test
    void evictsTheOldestWhenFullAndCountsIt() {
        LabelJoin join = new LabelJoin(7 * DAY, 2, sink);
        join.onPrediction("a", "m", "1", 1, Prediction.regression(1));
        join.onPrediction("b", "m", "1", 2, Prediction.regression(1));
        join.onPrediction("c", "m", "1", 3, Prediction.regression(1));
        assertThat(join.pending()).isEqualTo(2);
        assertThat(join.evictedForCapacity()).isEqualTo(1);
        assertThat(join.onLabel("a", 4, Label.ofValue(1))).isFalse();
        assertThat(join.onLabel("c", 4, Label.ofValue(1))).isTrue();
    }

    @Test
    void duplicatePredictionIdKeepsTheFirst() {
        LabelJoin join = new LabelJoin(7 * DAY, 10, sink);
        assertThat(join.onPrediction("a", "m", "1", 1, Prediction.regression(1))).isTrue();
        assertThat(join.onPrediction("a", "m", "2", 2, Prediction.regression(1))).isFalse();
        join.onLabel("a", 3, Label.ofValue(1));
        assertThat(joined).containsExactly("m/1@1->3");
        assertThat(join.duplicatePredictions()).isEqualTo(1);
    }

    @Test
    void replayingTheSameEventsRebuildsTheSameState() {
        QualityTracker first = new QualityTracker(DAY, 30, m -> 2);
        QualityTracker second = new QualityTracker(DAY, 30, m -> 2);
        LabelJoin a = new LabelJoin(7 * DAY, 50, first);
        LabelJoin b = new LabelJoin(7 * DAY, 50, second);
        for (LabelJoin join : List.of(a, b)) {
            for (int i = 0; i < 200; i++) {
                join.onPrediction("p" + i, "m", "1", i * 3_600_000L, Prediction.classification(i % 2, 0.4, 0.6));
                if (i >= 10) {
                    join.onLabel("p" + (i - 10), i * 3_600_000L + 1, Label.ofClass((i - 10) % 3 == 0 ? 1 : 0));
                }
            }
        }
        assertThat(b.pending()).isEqualTo(a.pending());
        assertThat(b.joined()).isEqualTo(a.joined());
        assertThat(second.summary("m", "1", 0, Long.MAX_VALUE)).isEqualTo(first.summary("m", "1", 0, Long.MAX_VALUE));
    }

    @Test
    void trackerKeepsWindowsPerVersionByPredictionTime() {
        QualityTracker tracker = new QualityTracker(DAY, 2, m -> 2);
        LabelJoin join = new LabelJoin(7 * DAY, 100, tracker);
        join.onPrediction("a", "m", "1", 0, Prediction.classification(1, 0.2, 0.8));
        join.onPrediction("b", "m", "1", DAY + 5, Prediction.classification(0, 0.9, 0.1));
        join.onPrediction("c", "m", "2", DAY + 6, Prediction.classification(1, 0.3, 0.7));
        join.onPrediction("d", "m", "1", 2 * DAY + 6, Prediction.classification(1, 0.3, 0.7));
        join.onLabel("a", 3 * DAY, Label.ofClass(1));
        join.onLabel("b", 3 * DAY, Label.ofClass(1));
        join.onLabel("c", 3 * DAY, Label.ofClass(1));
        join.onLabel("d", 3 * DAY, Label.ofClass(1));
        assertThat(tracker.windowStarts("m", "1")).containsExactly(DAY, 2 * DAY);
        assertThat(tracker.summary("m", "1", DAY, 2 * DAY)).containsEntry("accuracy", 0.0);
        assertThat(tracker.summary("m", "1", 0, 3 * DAY).get("accuracy")).isCloseTo(0.5, within(1e-12));
        assertThat(tracker.summary("m", "2", 0, 3 * DAY)).containsEntry("accuracy", 1.0);
        assertThat(tracker.summary("m", "3", 0, 3 * DAY)).isEmpty();
        join.onPrediction("e", "m", "1", 5, Prediction.classification(1, 0.3, 0.7));
        join.onLabel("e", 3 * DAY, Label.ofClass(1));
        assertThat(tracker.droppedTooOld()).isEqualTo(1);
    }
}
