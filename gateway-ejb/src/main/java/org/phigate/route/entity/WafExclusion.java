// SPDX-License-Identifier: Apache-2.0
package org.phigate.route.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import org.phigate.waf.control.WafPolicy;

/** A WAF rule switched off for part of a route's requests, as its row in route_waf_exclusion holds it. */
@Embeddable
public class WafExclusion {

    @Column(name = "rule_id", nullable = false, length = 16)
    private String rule;

    @Column(name = "target", nullable = false, length = 256)
    private String target;

    protected WafExclusion() {
    }

    WafExclusion(WafPolicy.Exclusion exclusion) {
        this.rule = exclusion.rule();
        this.target = exclusion.target();
    }

    WafPolicy.Exclusion toSpec() {
        return new WafPolicy.Exclusion(rule, target);
    }
}
