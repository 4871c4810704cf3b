// SPDX-License-Identifier: Apache-2.0
package org.phigate.waf.control;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A route's WAF settings. {@code block} refuses a request a rule matches, {@code detect} records the match in the
 * audit trail and forwards, {@code off} inspects nothing. Bodies are read up to {@code bodyLimit}; a larger body is
 * refused with 413 unless {@code oversizedBody} is {@code pass}, in which case it is forwarded with its body not
 * inspected and the audit record says so. The {@code fhir} profile reads FHIR's free-text elements (notes,
 * narrative) with only the rules that prose cannot trigger; {@code generic} reads every value as structured.
 */
public record WafPolicy(Mode mode, Profile profile, long bodyLimit, boolean passOversized, List<Exclusion> exclusions) {

    public static final long DEFAULT_BODY_LIMIT = 1L << 20;
    public static final WafPolicy DEFAULT = new WafPolicy(Mode.BLOCK, Profile.FHIR, DEFAULT_BODY_LIMIT, false, List.of());

    public WafPolicy {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(profile, "profile");
        if (bodyLimit < 0) {
            throw new IllegalArgumentException("bodyLimit must not be negative");
        }
        exclusions = List.copyOf(exclusions);
    }

    public enum Mode {
        BLOCK, DETECT, OFF;

        public String slug() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum Profile {
        FHIR, GENERIC;

        public String slug() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * A rule switched off for part of a route's requests: {@code target} is {@code query:NAME}, {@code header:NAME},
     * {@code cookie:NAME}, {@code form:NAME}, {@code json:$.path[*].to}, {@code json:$..name}, {@code xml:/Path/to} or
     * {@code path}; empty means the whole route.
     */
    public record Exclusion(String rule, String target) {

        public Exclusion {
            Objects.requireNonNull(rule, "rule");
            target = target == null ? "" : target;
        }

        boolean covers(String ruleId, String targetName) {
            return rule.equals(ruleId) && (target.isEmpty() || Targets.matches(target, targetName));
        }
    }
}
