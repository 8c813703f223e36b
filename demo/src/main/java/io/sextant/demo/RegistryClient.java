package io.sextant.demo;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Registers a model version with its training profile in the collector's model registry, as a
 * training pipeline would: {@code POST /api/v1/models/NAME/versions}. The agent announces the same
 * version (dataset, parameters, metrics) in a MODEL_EVENT; the registry takes identical
 * registrations as one, and the profile is what only this call carries.
 */
final class RegistryClient
{
    private final String api;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final ObjectMapper json = new ObjectMapper();

    /**
     * @param api the collector's query API, for example {@code http://127.0.0.1:4720}.
     */
    RegistryClient(final String api)
    {
        this.api = api.replaceAll("/+$", "");
    }

    /**
     * @return a one-line outcome for the demo's log; never throws (the demo runs without a collector too).
     */
    String register(final String model, final ScoringModel version)
    {
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("version", version.version);
        body.put("dataset", Map.of("id", version.datasetId, "contentHash", HexFormat.of().formatHex(version.datasetHash),
            "description", "synthetic loan applications"));
        body.put("parameters", version.parameters);
        body.put("trainingMetrics", version.metrics);
        body.put("actor", "loan-scoring-training");
        body.put("trainingProfile", Map.of("numeric", version.profileNumeric, "categorical", version.profileCategorical));
        try
        {
            final HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(api + "/api/v1/models/" + model +
                "/versions")).timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body))).build(),
                HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? "registered with its training profile" :
                "registration refused (" + r.statusCode() + "): " + r.body();
        }
        catch (final java.io.IOException ex)
        {
            return "not registered, collector API " + api + " unreachable: " + ex.getMessage();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return "not registered: interrupted";
        }
    }
}
