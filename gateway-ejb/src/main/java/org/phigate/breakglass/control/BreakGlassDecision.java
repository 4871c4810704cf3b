// SPDX-License-Identifier: Apache-2.0
package org.phigate.breakglass.control;

import java.util.Optional;
import org.phigate.identity.Caller;
import org.phigate.policy.AccessPolicy;
import org.phigate.policy.PolicyDecision;

/**
 * Whether a refused request may pass by breaking the glass: the route allows it, the caller holds the
 * {@value #ROLE} role, and the request states a justification of at least {@value #MIN_JUSTIFICATION}
 * characters. A route without a policy cannot be opened this way, and without the role the header changes nothing.
 */
public final class BreakGlassDecision {

    public static final String ROLE = "break-glass";
    public static final String HEADER = "PHIGate-Break-Glass";
    public static final int MIN_JUSTIFICATION = 20;
    public static final int MAX_JUSTIFICATION = 500;

    private BreakGlassDecision() {
    }

    /** @return the justification to record when the glass may be broken; empty when the refusal stands */
    public static Optional<String> override(Optional<AccessPolicy> policy, PolicyDecision.Deny deny, Caller caller,
                                            String justificationHeader) {
        if (deny == PolicyDecision.Deny.NO_POLICY || policy.isEmpty() || !policy.get().breakGlass()
                || !caller.hasRole(ROLE) || justificationHeader == null) {
            return Optional.empty();
        }
        String justification = justificationHeader.strip();
        if (justification.length() < MIN_JUSTIFICATION || justification.length() > MAX_JUSTIFICATION
                || justification.chars().anyMatch(Character::isISOControl)) {
            return Optional.empty();
        }
        return Optional.of(justification);
    }
}
