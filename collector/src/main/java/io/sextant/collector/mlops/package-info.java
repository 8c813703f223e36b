/**
 * Model operations: what Sextant knows about the ML models running inside the watched services.
 *
 * <p>The sub-packages each hold one idea: {@code sketch} (mergeable distributions of features and
 * predictions), {@code drift} (drift statistics against a reference), {@code quality} (joining late
 * labels to predictions and the metrics computed from them), {@code registry} (model versions,
 * datasets and aliases, kept as a fold over the audit journal) and {@code gate} (the CI/CD check of a
 * candidate version against a baseline). Those cores are single-writer state with no threads of their
 * own.
 *
 * <p>This package wires them into the collector: {@link io.sextant.collector.mlops.ModelStage} (the
 * analysis stage that owns the monitor, the label join and the quality tracker, and publishes DRIFT,
 * QUALITY and CHANGE signals), {@link io.sextant.collector.mlops.ModelService} (the registry and audit
 * journal on their own thread), {@link io.sextant.collector.mlops.ModelFeed} (journaled API notices back
 * to the analysis) and {@link io.sextant.collector.mlops.ModelsApi} (the HTTP endpoints).
 */
package io.sextant.collector.mlops;
