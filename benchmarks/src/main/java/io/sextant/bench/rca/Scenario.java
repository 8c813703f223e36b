package io.sextant.bench.rca;

import java.util.Set;

/**
 * One injected fault and its label (read only by the scorer).
 *
 * @param index    scenario number
 * @param fault    what was injected
 * @param service  the root-cause service
 * @param start    fault start (simulated Unix milliseconds)
 * @param end      fault end
 * @param affected the root-cause service and every service that calls it, directly or not (where symptoms may show)
 */
record Scenario(int index, Fault fault, String service, long start, long end, Set<String> affected) {
}
