package io.sextant.collector.analysis.anomaly;

/** Placeholder. */
public final class SextantDetector implements SeriesDetector {
    public static final String NAME = "sextant";
    private final WindowedGaussianDetector d = new WindowedGaussianDetector();
    @Override public double update(long t, double v) { return d.update(t, v); }
    @Override public double expectedLow() { return d.expectedLow(); }
    @Override public double expectedHigh() { return d.expectedHigh(); }
    @Override public String name() { return NAME; }
    @Override public long footprintBytes() { return d.footprintBytes(); }
}
