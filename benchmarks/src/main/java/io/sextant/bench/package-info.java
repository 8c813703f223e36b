/**
 * Measurement harnesses: JMH micro-benchmarks ({@code *Benchmark}) and the programs that turn
 * their output into the JSON summaries described in {@code BENCHMARKS.md}.
 */
package io.sextant.bench;
