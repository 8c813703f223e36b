package io.sextant.collector.mlops.sketch;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CategoricalSketchTest {

    @Test
    void countsFirstCategoriesAndPutsTheRestInOther() {
        CategoricalSketch s = new CategoricalSketch(2);
        for (String v : new String[] {"a", "b", "a", "c", "d", "b", "a"}) {
            s.update(v);
        }
        assertThat(s.count("a")).isEqualTo(3);
        assertThat(s.count("b")).isEqualTo(2);
        assertThat(s.count("c")).isZero();
        assertThat(s.otherCount()).isEqualTo(2);
        assertThat(s.total()).isEqualTo(7);
        assertThat(s.counts()).containsExactly(Map.entry("a", 3L), Map.entry("b", 2L),
            Map.entry(CategoricalSketch.OTHER, 2L));
    }

    @Test
    void mergeAddsCountsAndOther() {
        CategoricalSketch a = new CategoricalSketch(3);
        CategoricalSketch b = new CategoricalSketch(3);
        a.update("x");
        a.update("y");
        b.update("y");
        b.update("z");
        b.update("w");
        b.update("v");
        a.merge(b);
        assertThat(a.count("x")).isEqualTo(1);
        assertThat(a.count("y")).isEqualTo(2);
        assertThat(a.count("z")).isEqualTo(1);
        assertThat(a.otherCount()).isEqualTo(2);
        assertThat(a.total()).isEqualTo(6);
    }

    @Test
    void emptyCopyKnowsTheReferenceCategories() {
        CategoricalSketch ref = new CategoricalSketch(2);
        ref.update("a");
        ref.update("b");
        CategoricalSketch cur = ref.emptyCopy();
        cur.update("c");
        cur.update("b");
        assertThat(cur.count("b")).isEqualTo(1);
        assertThat(cur.otherCount()).isEqualTo(1);
        assertThat(cur.counts()).containsKeys("a", "b");
    }

    @Test
    void updatesAllocateNothing() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        String[] labels = {"red", "green", "blue", "cyan", "magenta"};
        CategoricalSketch s = new CategoricalSketch(3);
        for (int i = 0; i < 100_000; i++) {
            s.update(labels[i % labels.length]);
        }
        long before = mx.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 1_000_000; i++) {
            s.update(labels[i % labels.length]);
        }
        assertThat(mx.getCurrentThreadAllocatedBytes() - before).isLessThan(1024);
    }
}
