/**
 * Per-series forecasting: {@link io.sextant.collector.analysis.forecast.HoltWintersForecaster} (additive
 * Holt-Winters with a detected period, damped trend, prediction intervals) and time-to-threshold predictions
 * (heap exhaustion, a queue or disk filling, latency crossing an SLO) derived from its trend.
 */
package io.sextant.collector.analysis.forecast;
