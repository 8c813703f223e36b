package io.sextant.collector.analysis.forecast;

/**
 * A point forecast with a central prediction interval.
 *
 * @param atMillis the time the forecast is for, Unix milliseconds
 * @param mean the point forecast
 * @param low lower bound of the interval
 * @param high upper bound of the interval
 */
public record Forecast(long atMillis, double mean, double low, double high) {
}
