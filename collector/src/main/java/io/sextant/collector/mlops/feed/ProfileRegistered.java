package io.sextant.collector.mlops.feed;

/**
 * A training-data profile was registered with a model version (through the query API); the profile itself
 * is in the collector's profile store under its SHA-256.
 *
 * @param model   model name
 * @param version model version
 * @param sha256  hex SHA-256 of the stored profile
 */
public record ProfileRegistered(String model, String version, String sha256) {
}
