/**
 * Log capture from java.util.logging, Logback and Log4j 2 without application changes: Byte Buddy
 * advice inlined into each library's dispatch method hands events to {@link io.sextant.agent.logs.LogSink}
 * through the bootstrap {@link io.sextant.agent.bridge.LogBridge}; the sink filters by level and
 * rate and writes them into the ring buffer.
 */
package io.sextant.agent.logs;
