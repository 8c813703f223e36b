package io.sextant.collector.analysis.logs;

import java.util.Objects;

/**
 * An immutable snapshot of one mined template.
 *
 * @param id stable id, assigned when the template was first seen and never reused
 * @param text the template, with {@code <*>} for each variable part
 * @param count lines matched so far (including lines matched by templates merged into this one)
 * @param exact whether the template came from an unformatted message pattern supplied by the agent, rather than
 *              being mined from text
 */
public record LogTemplate(int id, String text, long count, boolean exact) {

    public LogTemplate {
        Objects.requireNonNull(text, "text");
    }
}
