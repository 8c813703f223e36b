/**
 * The {@code drift} accuracy harness: synthetic Gaussian streams with known change points, scored for
 * detection delay (in windows) and false alarms per window, for the default drift test and for each test
 * forced in turn.
 */
package io.sextant.bench.drift;
