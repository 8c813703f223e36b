/**
 * Model operations: what Sextant knows about the ML models running inside the watched services.
 *
 * <p>The sub-packages each hold one idea: {@code sketch} (mergeable distributions of features and
 * predictions), {@code drift} (drift statistics against a reference), {@code quality} (joining late
 * labels to predictions and the metrics computed from them), {@code registry} (model versions,
 * datasets and aliases, kept as a fold over the audit journal) and {@code gate} (the CI/CD check of a
 * candidate version against a baseline). Every class here is single-writer state with no threads of
 * its own: the collector's inference tailer owns it and publishes immutable results.
 */
package io.sextant.collector.mlops;
