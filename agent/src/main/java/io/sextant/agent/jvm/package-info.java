/**
 * JVM metrics, sampled on the sender thread at the metrics interval from the platform MXBeans, with
 * GC pause distributions fed by GC notifications.
 */
package io.sextant.agent.jvm;
