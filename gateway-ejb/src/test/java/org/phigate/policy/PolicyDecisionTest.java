// SPDX-License-Identifier: Apache-2.0
package org.phigate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.phigate.identity.Caller;

class PolicyDecisionTest {

    private static final Caller EHR = new Caller("svc-1", "phigate-ehr", "", Set.of("clinician"), Set.of(), Instant.MAX);
    private static final Caller OPS = new Caller("svc-2", "phigate-ops", "", Set.of("gateway-admin"), Set.of(), Instant.MAX);

    private static InetAddress ip(String text) throws Exception {
        return InetAddress.getByName(text);
    }

    @Test
    void noPolicyAdmitsNobody() throws Exception {
        assertThat(PolicyDecision.decide(Optional.empty(), EHR, ip("127.0.0.1"), Optional.empty())).contains(PolicyDecision.Deny.NO_POLICY);
    }

    @Test
    void rolesClientsAndSourcesMustAllHold() throws Exception {
        Optional<AccessPolicy> policy = Optional.of(new AccessPolicy(Set.of("clinician"), Set.of("phigate-ehr"),
                List.of(Cidr.parse("127.0.0.0/8"), Cidr.parse("::1"))));

        assertThat(PolicyDecision.decide(policy, EHR, ip("127.0.0.1"), Optional.empty())).isEmpty();
        assertThat(PolicyDecision.decide(policy, EHR, ip("::1"), Optional.empty())).isEmpty();
        assertThat(PolicyDecision.decide(policy, EHR, ip("10.1.2.3"), Optional.empty())).contains(PolicyDecision.Deny.SOURCE);
        assertThat(PolicyDecision.decide(policy, OPS, ip("127.0.0.1"), Optional.empty())).contains(PolicyDecision.Deny.CLIENT);
        Optional<AccessPolicy> rolesOnly = Optional.of(new AccessPolicy(Set.of("clinician"), Set.of(), List.of()));
        assertThat(PolicyDecision.decide(rolesOnly, OPS, ip("10.1.2.3"), Optional.empty())).contains(PolicyDecision.Deny.ROLE);
    }

    @Test
    void aSmartPolicyNeedsAScopeForTheInteraction() throws Exception {
        Caller app = new Caller("u-1", "smart-app", "", Set.of("clinician"), Set.of("patient/Observation.read"), Instant.MAX);
        Optional<AccessPolicy> smart = Optional.of(new AccessPolicy(Set.of("clinician"), Set.of(), List.of(), true, false));

        assertThat(PolicyDecision.decide(smart, app, ip("127.0.0.1"), FhirInteraction.of("GET", "Observation/o-1"))).isEmpty();
        assertThat(PolicyDecision.decide(smart, app, ip("127.0.0.1"), FhirInteraction.of("POST", "Observation")))
                .contains(PolicyDecision.Deny.SCOPE);
        assertThat(PolicyDecision.decide(smart, app, ip("127.0.0.1"), FhirInteraction.of("GET", "Condition")))
                .contains(PolicyDecision.Deny.SCOPE);
        assertThat(PolicyDecision.decide(smart, app, ip("127.0.0.1"), FhirInteraction.of("GET", "metadata")))
                .as("not a resource interaction: nothing a scope could permit").contains(PolicyDecision.Deny.SCOPE);
    }

    @Test
    void cidrsMatchOnTheirPrefixOnly() throws Exception {
        Cidr net = Cidr.parse("192.168.4.0/22");

        assertThat(net.contains(ip("192.168.7.255"))).isTrue();
        assertThat(net.contains(ip("192.168.8.0"))).isFalse();
        assertThat(net.contains(ip("::ffff:c0a8:0401"))).as("an IPv4-mapped v6 literal is read as IPv4 by Java").isTrue();
        assertThat(Cidr.parse("0.0.0.0/0").contains(ip("8.8.8.8"))).isTrue();
        assertThat(Cidr.parse("2001:db8::/32").contains(ip("2001:db8:ffff::1"))).isTrue();
        assertThat(Cidr.parse("2001:db8::/32").contains(ip("127.0.0.1"))).isFalse();
    }

    @Test
    void badNetworksAndEmptyPoliciesAreRefused() {
        assertThatThrownBy(() -> Cidr.parse("example.org")).hasMessageContaining("host names are not allowed");
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).hasMessageContaining("prefix length");
        assertThatThrownBy(() -> new AccessPolicy(Set.of(), Set.of(), List.of())).hasMessageContaining("at least one role, client or service identity");
    }

    @Test
    void aPolicyThatNamesIdentitiesAdmitsOnlyTheirCertificatesAndStillChecksTheRest() throws Exception {
        Optional<AccessPolicy> labOnly = Optional.of(new AccessPolicy(Set.of(), Set.of(), Set.of("lab-feed"), List.of(), false, false));
        Optional<AccessPolicy> labAndClinician = Optional.of(new AccessPolicy(Set.of("clinician"), Set.of(), Set.of("lab-feed"), List.of(), false, false));

        assertThat(PolicyDecision.decide(labOnly, Caller.service("lab-feed"), ip("127.0.0.1"), Optional.empty())).isEmpty();
        assertThat(PolicyDecision.decide(labOnly, Caller.service("billing"), ip("127.0.0.1"), Optional.empty())).contains(PolicyDecision.Deny.IDENTITY);
        assertThat(PolicyDecision.decide(labOnly, EHR, ip("127.0.0.1"), Optional.empty())).contains(PolicyDecision.Deny.IDENTITY);
        assertThat(PolicyDecision.decide(labAndClinician, Caller.service("lab-feed"), ip("127.0.0.1"), Optional.empty())).contains(PolicyDecision.Deny.ROLE);
        assertThat(PolicyDecision.decide(labAndClinician, EHR.withServiceIdentity("lab-feed"), ip("127.0.0.1"), Optional.empty())).isEmpty();
        assertThat(labOnly.get().needsToken()).isFalse();
        assertThat(labAndClinician.get().needsToken()).isTrue();
    }
}
