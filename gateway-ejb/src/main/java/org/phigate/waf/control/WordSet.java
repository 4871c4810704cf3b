// SPDX-License-Identifier: Apache-2.0
package org.phigate.waf.control;

import java.util.ArrayList;
import java.util.List;

/**
 * A rule's word list, found in one pass over a value: the words are indexed by their first two characters, so each
 * position of the value costs one array lookup, whatever the number of words. Words are lower case ASCII and at
 * least two characters long; values are given in lower case.
 */
final class WordSet {

    private final String[][] byBigram = new String[1 << 14][];
    private final boolean empty;

    WordSet(List<String> words) {
        List<List<String>> slots = new ArrayList<>(byBigram.length);
        for (int i = 0; i < byBigram.length; i++) {
            slots.add(null);
        }
        for (String word : words) {
            if (word.length() < 2 || word.charAt(0) > 0x7f || word.charAt(1) > 0x7f) {
                throw new IllegalArgumentException("PHIG-0600 a WAF word must be two ASCII characters or more: " + word);
            }
            int slot = slot(word.charAt(0), word.charAt(1));
            if (slots.get(slot) == null) {
                slots.set(slot, new ArrayList<>());
            }
            slots.get(slot).add(word);
        }
        for (int i = 0; i < byBigram.length; i++) {
            if (slots.get(i) != null) {
                byBigram[i] = slots.get(i).toArray(new String[0]);
            }
        }
        empty = words.isEmpty();
    }

    private static int slot(char first, char second) {
        return (first & 0x7f) << 7 | (second & 0x7f);
    }

    /** Whether any word occurs in {@code lower}. */
    boolean foundIn(String lower) {
        return firstIndexIn(lower, 0) >= 0;
    }

    /** Where the first word occurs in {@code lower} at or after {@code from}, or -1. */
    int firstIndexIn(String lower, int from) {
        if (empty) {
            return -1;
        }
        for (int i = from; i < lower.length() - 1; i++) {
            char a = lower.charAt(i);
            char b = lower.charAt(i + 1);
            if (a > 0x7f || b > 0x7f) {
                continue;
            }
            String[] candidates = byBigram[slot(a, b)];
            if (candidates != null) {
                for (String word : candidates) {
                    if (lower.startsWith(word, i)) {
                        return i;
                    }
                }
            }
        }
        return -1;
    }
}
