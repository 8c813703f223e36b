/**
 * The agent's only classes on the bootstrap class path: entry points for {@code sextant-api} and
 * for log capture advice, typed only with JDK classes so they cross any class loader boundary.
 */
package io.sextant.agent.bridge;
