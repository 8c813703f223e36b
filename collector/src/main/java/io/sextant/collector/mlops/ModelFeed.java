package io.sextant.collector.mlops;

import com.fasterxml.jackson.databind.JsonNode;
import io.sextant.collector.journal.JournalRecord;
import io.sextant.collector.mlops.feed.AliasChanged;
import io.sextant.collector.mlops.feed.LabelRecord;
import io.sextant.collector.mlops.feed.ProfileRegistered;
import io.sextant.collector.store.RecordApplier;
import io.sextant.collector.store.SeriesStore;
import java.io.IOException;
import org.agrona.DirectBuffer;

/**
 * Applies journaled model-operations notices ({@link JournalRecord#KIND_MODEL_API}) by handing their
 * records to the analysis through the store listener. Notices are JSON objects:
 * <pre>
 * {"type": "labels", "model": M, "labels": [{"predictionId": ID, "label": "yes" | "value": 1.5, "time": ms}]}
 * {"type": "profile", "model": M, "version": V, "sha256": HEX}
 * {"type": "alias", "model", "alias", "fromVersion", "toVersion", "operation", "reason", "actor", "timeMillis", "auditSeq"}
 * </pre>
 * Store tailer thread only.
 */
public final class ModelFeed implements RecordApplier {

    private final SeriesStore store;

    public ModelFeed(SeriesStore store) {
        this.store = store;
    }

    @Override
    public void apply(DirectBuffer buffer, int length) {
        byte[] body = new byte[length - JournalRecord.HEADER_LENGTH];
        buffer.getBytes(JournalRecord.HEADER_LENGTH, body);
        JsonNode n;
        try {
            n = ModelService.JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable model notice: " + e.getMessage(), e);
        }
        switch (n.path("type").asText()) {
            case "labels" -> {
                String model = n.path("model").asText();
                for (JsonNode l : n.path("labels")) {
                    JsonNode cls = l.get("label");
                    store.listener().onEvent(new LabelRecord(model, l.path("predictionId").asText(),
                        l.path("time").asLong(), cls == null || cls.isNull() ? null : cls.asText(),
                        cls == null || cls.isNull() ? l.path("value").asDouble(Double.NaN) : Double.NaN, "api"));
                }
            }
            case "profile" -> store.listener().onEvent(new ProfileRegistered(n.path("model").asText(),
                n.path("version").asText(), n.path("sha256").asText()));
            case "alias" -> store.listener().onEvent(new AliasChanged(n.path("model").asText(),
                n.path("alias").asText(), n.path("fromVersion").isNull() ? null : n.path("fromVersion").asText(null),
                n.path("toVersion").asText(), n.path("operation").asText(), n.path("reason").asText(""),
                n.path("actor").asText(""), n.path("timeMillis").asLong(), n.path("auditSeq").asLong()));
            default -> throw new IllegalStateException("unknown model notice type '" + n.path("type").asText() + "'");
        }
    }
}
