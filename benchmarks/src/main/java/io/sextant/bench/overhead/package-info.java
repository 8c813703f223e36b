/**
 * The {@code overhead} harness: one workload application run as separate JVMs with no agent, with
 * the Sextant agent and with the OpenTelemetry Java agent, side by side.
 */
package io.sextant.bench.overhead;
