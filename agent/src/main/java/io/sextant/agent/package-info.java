/**
 * The Sextant {@code -javaagent}: start-up ({@link io.sextant.agent.SextantAgent}), wiring and
 * the agent's own stderr logger. The hot path lives in {@code record}, the sender in {@code ship},
 * JVM metrics in {@code jvm}, log capture in {@code logs}, collector commands in {@code command}.
 */
package io.sextant.agent;
