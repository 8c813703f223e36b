package io.sextant.bench.rca;

/**
 * The kinds of injected fault, with the cause kinds the collector's ranking may name for each and still be
 * right (the subject words a {@code jvm-resource} cause must contain, where that matters).
 */
enum Fault {
    CPU_SATURATION("jvm-resource", "cpu"),
    MEMORY_LEAK("jvm-resource", "heap|gc|memory"),
    SLOW_DEPENDENCY("service|metric|log-template", ""),
    ERROR_BURST("service|metric|log-template", ""),
    BAD_DEPLOYMENT("deployment", ""),
    MODEL_DRIFT("model-version", "");

    final String causeKinds;
    final String subjectWords;

    Fault(String causeKinds, String subjectWords) {
        this.causeKinds = causeKinds;
        this.subjectWords = subjectWords;
    }

    /** True when a ranked cause names this fault on {@code service}. */
    boolean matches(String service, String causeKind, String causeService, String causeSubject) {
        if (!service.equals(causeService)) {
            return false;
        }
        boolean kindOk = false;
        for (String k : causeKinds.split("\\|")) {
            kindOk |= k.equals(causeKind);
        }
        if (!kindOk) {
            return false;
        }
        if (subjectWords.isEmpty()) {
            return true;
        }
        String s = causeSubject.toLowerCase(java.util.Locale.ROOT);
        for (String w : subjectWords.split("\\|")) {
            if (s.contains(w)) {
                return true;
            }
        }
        return false;
    }
}
