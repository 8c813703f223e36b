/**
 * The demo workload: a loan-scoring service that runs a real Smile model, logs through Logback,
 * reports inferences, labels and model versions through {@code sextant-api}, and on a fixed
 * schedule suffers the faults Sextant should notice (GC pressure, a latency spike, an error burst,
 * a feature drift and a worse model version rolled out, then rolled back).
 */
package io.sextant.demo;
