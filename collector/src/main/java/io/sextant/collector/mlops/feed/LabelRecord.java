package io.sextant.collector.mlops.feed;

/**
 * The ground truth for one earlier prediction, from an agent ({@code sextant-api}) or the query API.
 *
 * @param model        model name ("" when the sender did not say)
 * @param predictionId the prediction it belongs to
 * @param timeMillis   when the truth became known, Unix epoch milliseconds
 * @param labelClass   the true class, null for a regression label
 * @param labelNumber  the true value, NaN for a class label
 * @param source       {@code agent} or {@code api}
 */
public record LabelRecord(String model, String predictionId, long timeMillis, String labelClass, double labelNumber,
                          String source) {
}
