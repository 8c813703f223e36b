package io.sextant.collector.mlops.registry;

/**
 * A registered dataset.
 *
 * @param id           the dataset's name, unique
 * @param contentHash  SHA-256 (hex) of the dataset's content, computed by whoever registers it
 * @param description  free text
 * @param registeredAtMs epoch milliseconds
 * @param actor        who registered it
 */
public record Dataset(String id, String contentHash, String description, long registeredAtMs, String actor) {
}
