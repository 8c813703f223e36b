package io.sextant.bench.logparse;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Log-parsing accuracy metrics over one dataset.
 *
 * <ul>
 *   <li>GA, grouping accuracy (Zhu et al., ICSE-SEIP 2019): the share of lines whose predicted group holds exactly
 *       the same set of lines as their ground-truth group.</li>
 *   <li>PA, parsing accuracy: the share of lines whose predicted template equals the ground-truth template, after
 *       collapsing runs of whitespace and trimming.</li>
 *   <li>FGA (Jiang et al., ISSTA 2024): F1 of group precision (correct groups / predicted groups) and group recall
 *       (correct groups / ground-truth groups); a group is correct when its line set equals a ground-truth group's.</li>
 *   <li>FTA (same paper): F1 over templates; a predicted template is correct when its group is correct and its text
 *       equals the ground-truth template.</li>
 * </ul>
 *
 * @param ga grouping accuracy
 * @param pa parsing accuracy
 * @param fga group-level F1
 * @param fta template-level F1
 * @param predictedGroups number of predicted groups
 * @param truthGroups number of ground-truth groups
 */
record ParseScores(double ga, double pa, double fga, double fta, int predictedGroups, int truthGroups) {

    /**
     * Scores one dataset.
     *
     * @param truthGroup ground-truth group key per line (event id, or template text)
     * @param truthTemplate ground-truth template per line
     * @param predictedGroup predicted group key per line
     * @param predictedTemplate predicted template per line
     */
    static ParseScores score(List<String> truthGroup, List<String> truthTemplate,
                             List<String> predictedGroup, List<String> predictedTemplate) {
        int n = truthGroup.size();
        if (truthTemplate.size() != n || predictedGroup.size() != n || predictedTemplate.size() != n) {
            throw new IllegalArgumentException("line counts differ");
        }
        Map<String, Integer> truthSize = new HashMap<>();
        Map<String, Integer> predSize = new HashMap<>();
        // For each predicted group: the single truth group it maps to, or null when it spans several.
        Map<String, String> predToTruth = new HashMap<>();
        Map<String, Boolean> predMixed = new HashMap<>();
        for (int i = 0; i < n; i++) {
            truthSize.merge(truthGroup.get(i), 1, Integer::sum);
            String p = predictedGroup.get(i);
            predSize.merge(p, 1, Integer::sum);
            String prior = predToTruth.putIfAbsent(p, truthGroup.get(i));
            if (prior != null && !prior.equals(truthGroup.get(i))) {
                predMixed.put(p, Boolean.TRUE);
            }
        }
        Map<String, Boolean> groupCorrect = new HashMap<>();
        int correctGroups = 0;
        for (Map.Entry<String, Integer> e : predSize.entrySet()) {
            String p = e.getKey();
            boolean ok = !predMixed.containsKey(p) && truthSize.get(predToTruth.get(p)).intValue() == e.getValue();
            groupCorrect.put(p, ok);
            if (ok) {
                correctGroups++;
            }
        }
        int correctLines = 0;
        int parsedLines = 0;
        Map<String, Boolean> templateCorrect = new HashMap<>();
        for (int i = 0; i < n; i++) {
            String p = predictedGroup.get(i);
            boolean grouped = groupCorrect.get(p);
            if (grouped) {
                correctLines++;
            }
            boolean sameText = normalise(predictedTemplate.get(i)).equals(normalise(truthTemplate.get(i)));
            if (sameText) {
                parsedLines++;
            }
            templateCorrect.merge(p, grouped && sameText, (a, b) -> a && b);
        }
        int correctTemplates = 0;
        for (boolean ok : templateCorrect.values()) {
            if (ok) {
                correctTemplates++;
            }
        }
        double ga = n == 0 ? 0 : (double) correctLines / n;
        double pa = n == 0 ? 0 : (double) parsedLines / n;
        double fga = f1(correctGroups, predSize.size(), truthSize.size());
        double fta = f1(correctTemplates, predSize.size(), truthSize.size());
        return new ParseScores(ga, pa, fga, fta, predSize.size(), truthSize.size());
    }

    private static double f1(int correct, int predicted, int truth) {
        double precision = predicted == 0 ? 0 : (double) correct / predicted;
        double recall = truth == 0 ? 0 : (double) correct / truth;
        return precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
    }

    /** Trims and collapses every run of whitespace to one space. */
    static String normalise(String template) {
        StringBuilder sb = new StringBuilder(template.length());
        boolean space = false;
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (Character.isWhitespace(c)) {
                space = sb.length() > 0;
            } else {
                if (space) {
                    sb.append(' ');
                    space = false;
                }
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
