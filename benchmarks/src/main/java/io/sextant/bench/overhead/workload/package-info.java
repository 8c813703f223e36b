/**
 * The workload application the {@code overhead} harness runs in its own JVM. It depends only on
 * {@code sextant-api} and {@code opentelemetry-api} (both no-ops unless an agent binds them), so it
 * is packaged apart from the benchmarks jar.
 */
package io.sextant.bench.overhead.workload;
