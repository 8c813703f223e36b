/**
 * The {@code rca} harness: a seeded fault-injection simulator of a service graph whose metrics, logs, model
 * events and spans go through a real collector's ingest, and a scorer of the collector's incidents and
 * root-cause rankings against the injected faults (AC@k, Avg@5, noise reduction, purity), beside a random
 * ranking of the same candidates.
 */
package io.sextant.bench.rca;
