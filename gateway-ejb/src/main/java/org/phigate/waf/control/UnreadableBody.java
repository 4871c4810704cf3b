// SPDX-License-Identifier: Apache-2.0
package org.phigate.waf.control;

/**
 * Why a body is not one the WAF can read (malformed, nested too deep, a document type declaration): a WAF must
 * refuse what it cannot read. The rule is the finding; the message says what was wrong, never the content.
 */
public final class UnreadableBody extends Exception {

    private static final long serialVersionUID = 1L;

    private final String rule;

    UnreadableBody(String rule, String message) {
        super(message, null, false, false);
        this.rule = rule;
    }

    public String rule() {
        return rule;
    }
}
