// SPDX-License-Identifier: Apache-2.0
package org.phigate.waf.control;

import java.util.Objects;

/** A rule a request broke and where ({@code query:code}); never the matched content, which may be PHI. */
public record Finding(WafRule rule, String target) {

    public Finding {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(target, "target");
    }

    public String ruleId() {
        return rule.id();
    }
}
