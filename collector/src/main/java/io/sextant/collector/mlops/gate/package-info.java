/**
 * Gates for CI/CD: a candidate model version is compared with a baseline (a version or an alias such as
 * {@code production}) under rules read from a JSON file: per-metric absolute bounds and allowed regressions
 * (absolute and relative, with a direction), latency p99, and drift. The result is a readable report and a
 * JSON document with pass/fail; {@link io.sextant.collector.mlops.gate.GateCommand} turns it into an exit
 * code for pipelines.
 *
 * <p>Where the numbers come from is behind {@link io.sextant.collector.mlops.gate.GateEvidenceSource}: a
 * JSON file today, the collector's quality tracker, latency sketches and drift records once wired.
 */
package io.sextant.collector.mlops.gate;
