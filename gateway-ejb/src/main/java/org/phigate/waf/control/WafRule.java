// SPDX-License-Identifier: Apache-2.0
package org.phigate.waf.control;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One rule of the rules file: a stable id, what it defends against, and the data its detector reads (word lists,
 * token patterns). {@code freeText} says whether the rule also applies to clinical free text (notes, narrative),
 * where only rules that ordinary prose cannot trigger may run.
 */
public record WafRule(String id, Category category, String title, boolean freeText, Map<String, List<String>> words, List<Pattern> patterns) {

    public WafRule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(title, "title");
        words = Map.copyOf(words);
        patterns = List.copyOf(patterns);
    }

    /** The rule's word list under {@code key}, lower case; empty when the rule has none. */
    public List<String> words(String key) {
        return words.getOrDefault(key, List.of());
    }
}
