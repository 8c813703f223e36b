/**
 * The hot path: what application threads run inside the agent. Custom metrics aggregate in place;
 * inference, label and log records are claimed, encoded and committed into one bounded off-heap
 * many-to-one ring buffer, dropped and counted when it is full. Nothing here blocks, throws into
 * the caller or allocates after warm-up. The classes are public and constructible without an
 * agent so that benchmarks can drive them directly.
 */
package io.sextant.agent.record;
