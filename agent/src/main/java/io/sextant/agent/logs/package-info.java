/**
 * Log capture from java.util.logging, Logback and Log4j 2 without application changes: a static
 * call inserted with plain ASM into JUL's {@code Logger.log(LogRecord)}, and Byte Buddy advice
 * inlined into Logback's and Log4j 2's dispatch methods (built only once one of them loads), hand
 * events to {@link io.sextant.agent.logs.LogSink} through the bootstrap
 * {@link io.sextant.agent.bridge.LogBridge}; the sink filters by level and rate and writes them
 * into the ring buffer.
 */
package io.sextant.agent.logs;
