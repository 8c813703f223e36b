/**
 * The agent's one class file transformer: a name check on every class the JVM loads, a plain ASM
 * rewrite of {@code java.util.logging.Logger}, and Byte Buddy built only when Logback, Log4j 2 or
 * Smile classes actually appear.
 */
package io.sextant.agent.instrument;
