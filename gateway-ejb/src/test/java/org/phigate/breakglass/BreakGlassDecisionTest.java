// SPDX-License-Identifier: Apache-2.0
package org.phigate.breakglass;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.phigate.breakglass.control.BreakGlassDecision;
import org.phigate.identity.Caller;
import org.phigate.policy.AccessPolicy;
import org.phigate.policy.PolicyDecision.Deny;

class BreakGlassDecisionTest {

    private static final Optional<AccessPolicy> GLASS = Optional.of(new AccessPolicy(Set.of("oncology"), Set.of(), List.of(), false, true));
    private static final Optional<AccessPolicy> NO_GLASS = Optional.of(new AccessPolicy(Set.of("oncology"), Set.of(), List.of()));
    private static final Caller ER = new Caller("er-1", "app", "er", Set.of("clinician", "break-glass"), Set.of(), Instant.MAX);
    private static final Caller CLINICIAN = new Caller("c-1", "app", "c", Set.of("clinician"), Set.of(), Instant.MAX);
    private static final String WHY = "Unconscious patient in ED, allergies unknown";

    @Test
    void theRoleAJustificationAndARouteThatAllowsItOpenTheGlass() {
        assertThat(BreakGlassDecision.override(GLASS, Deny.ROLE, ER, "  " + WHY + " ")).contains(WHY);
    }

    @Test
    void withoutTheRoleTheHeaderChangesNothing() {
        assertThat(BreakGlassDecision.override(GLASS, Deny.ROLE, CLINICIAN, WHY)).isEmpty();
    }

    @Test
    void aShortMissingOrControlCharacterJustificationIsNotOne() {
        assertThat(BreakGlassDecision.override(GLASS, Deny.ROLE, ER, "emergency")).isEmpty();
        assertThat(BreakGlassDecision.override(GLASS, Deny.ROLE, ER, null)).isEmpty();
        assertThat(BreakGlassDecision.override(GLASS, Deny.ROLE, ER, WHY + "\u0007")).isEmpty();
        assertThat(BreakGlassDecision.override(GLASS, Deny.ROLE, ER, "x".repeat(501))).isEmpty();
    }

    @Test
    void aRouteThatDoesNotAllowItOrHasNoPolicyStaysShut() {
        assertThat(BreakGlassDecision.override(NO_GLASS, Deny.ROLE, ER, WHY)).isEmpty();
        assertThat(BreakGlassDecision.override(Optional.empty(), Deny.NO_POLICY, ER, WHY)).isEmpty();
    }
}
