package io.sextant.bench.logparse;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ParseScoresTest {

    @Test
    void perfectParseScoresOne() {
        List<String> groups = List.of("A", "A", "B");
        List<String> templates = List.of("x <*>", "x <*>", "y");
        ParseScores s = ParseScores.score(groups, templates, List.of("1", "1", "2"), templates);
        assertThat(s.ga()).isEqualTo(1.0);
        assertThat(s.pa()).isEqualTo(1.0);
        assertThat(s.fga()).isEqualTo(1.0);
        assertThat(s.fta()).isEqualTo(1.0);
    }

    /**
     * Truth: A = {1,2,3}, B = {4,5}, C = {6}. Predicted: P = {1,2}, Q = {3}, R = {4,5}, S = {6}.
     * GA: lines of R and S are right: 3/6. Correct groups 2 (R, S); precision 2/4, recall 2/3, FGA = 4/7.
     * Templates: R's text is wrong, S's is right: correct templates 1; PTA 1/4, RTA 1/3, FTA = 2/7.
     * PA: lines 1, 2, 3 (text "a <*>") and 6 are right: 4/6.
     */
    @Test
    void handComputedExample() {
        List<String> truthGroups = List.of("A", "A", "A", "B", "B", "C");
        List<String> truthTemplates = List.of("a <*>", "a <*>", "a <*>", "b <*>", "b <*>", "c");
        List<String> predGroups = List.of("P", "P", "Q", "R", "R", "S");
        List<String> predTemplates = List.of("a <*>", "a <*>", "a  <*> ", "b x", "b x", "c");
        ParseScores s = ParseScores.score(truthGroups, truthTemplates, predGroups, predTemplates);
        assertThat(s.ga()).isCloseTo(3.0 / 6, within(1e-12));
        assertThat(s.pa()).isCloseTo(4.0 / 6, within(1e-12));
        assertThat(s.fga()).isCloseTo(4.0 / 7, within(1e-12));
        assertThat(s.fta()).isCloseTo(2.0 / 7, within(1e-12));
        assertThat(s.predictedGroups()).isEqualTo(4);
        assertThat(s.truthGroups()).isEqualTo(3);
    }

    /** One predicted group spanning two truth groups: neither counts; both of its lines are wrong for GA. */
    @Test
    void overMergedGroupIsWrong() {
        ParseScores s = ParseScores.score(List.of("A", "B", "C"), List.of("a", "b", "c"),
                List.of("P", "P", "Q"), List.of("<*>", "<*>", "c"));
        assertThat(s.ga()).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(s.pa()).isCloseTo(1.0 / 3, within(1e-12));
        // 1 correct group of 2 predicted and 3 truth: P = 1/2, R = 1/3, F1 = 0.4
        assertThat(s.fga()).isCloseTo(0.4, within(1e-12));
        assertThat(s.fta()).isCloseTo(0.4, within(1e-12));
    }

    @Test
    void normalisesWhitespaceOnly() {
        assertThat(ParseScores.normalise("  a \t <*>  b ")).isEqualTo("a <*> b");
        assertThat(ParseScores.normalise("a<*>")).isEqualTo("a<*>");
    }
}
