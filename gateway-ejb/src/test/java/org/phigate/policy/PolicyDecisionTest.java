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
import org.phigate.fhir.FhirRequest;
import org.phigate.identity.Caller;

class PolicyDecisionTest {

    private static final Caller EHR = new Caller("svc-1", "phigate-ehr", "", Set.of("clinician"), Set.of(), Instant.MAX);
    private static final Caller OPS = new Caller("svc-2", "phigate-ops", "", Set.of("gateway-admin"), Set.of(), Instant.MAX);

    private static Optional<FhirRequest> fhir(String method, String path) {
        return Optional.of(FhirRequest.of(method, path, null, false));
    }

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
        Caller app = new Caller("u-1", "smart-app", "", Set.of("clinician"), Set.of("user/Observation.read"), Instant.MAX);
        Optional<AccessPolicy> smart = Optional.of(new AccessPolicy(Set.of("clinician"), Set.of(), List.of(), true, false));

        assertThat(PolicyDecision.decide(smart, app, ip("127.0.0.1"), fhir("GET", "Observation/o-1"))).isEmpty();
        assertThat(PolicyDecision.decide(smart, app, ip("127.0.0.1"), fhir("POST", "Observation")))
                .contains(PolicyDecision.Deny.SCOPE);
        assertThat(PolicyDecision.decide(smart, app, ip("127.0.0.1"), fhir("GET", "Condition")))
                .contains(PolicyDecision.Deny.SCOPE);
        assertThat(PolicyDecision.decide(smart, app, ip("127.0.0.1"), fhir("GET", "metadata")))
                .as("not a resource interaction: nothing a scope could permit").contains(PolicyDecision.Deny.SCOPE);
    }

    private static Optional<PolicyDecision.Deny> smart(Set<String> scopes, String launchPatient, String method, String path, String query,
                                                       boolean body) throws Exception {
        Caller app = new Caller("u-1", "smart-app", "", Set.of("clinician"), scopes, Instant.MAX, "", launchPatient);
        Optional<AccessPolicy> smart = Optional.of(new AccessPolicy(Set.of("clinician"), Set.of(), List.of(), true, false));
        return PolicyDecision.decide(smart, app, ip("127.0.0.1"), Optional.of(FhirRequest.of(method, path, query, body)));
    }

    /** Everything a search can return needs a scope: included, reverse-included and filtered-on types as well. */
    @Test
    void aScopeForOneTypeReadsNoOtherTypeThroughIncludesFiltersOrBodies() throws Exception {
        Set<String> patientOnly = Set.of("user/Patient.rs");

        assertThat(smart(patientOnly, "", "GET", "Patient", "name=Ada", false)).isEmpty();
        assertThat(smart(patientOnly, "", "GET", "Patient", "_revinclude=Observation:subject", false)).contains(PolicyDecision.Deny.SCOPE);
        assertThat(smart(patientOnly, "", "GET", "Patient", "_revinclude=*", false)).contains(PolicyDecision.Deny.SCOPE);
        assertThat(smart(patientOnly, "", "GET", "Patient", "_has:Observation:patient:code=1234-5", false))
                .contains(PolicyDecision.Deny.OTHER_RESOURCES);
        assertThat(smart(patientOnly, "", "POST", "Patient/_search", null, true)).contains(PolicyDecision.Deny.SEARCH_IN_BODY);
        assertThat(smart(Set.of("user/Patient.rs", "user/Observation.rs"), "", "GET", "Patient", "_revinclude=Observation:subject", false))
                .isEmpty();
        assertThat(smart(Set.of("user/*.rs"), "", "GET", "Patient", "_revinclude=*", false)).isEmpty();
        assertThat(smart(Set.of("user/Observation.rs"), "", "GET", "Observation", "patient.name=Smith&patient.birthdate=1970-01-01", false))
                .as("a chain searches the Patients").contains(PolicyDecision.Deny.SCOPE);
    }

    /** A patient/ scope grants the token's patient only: the request must be confined to that patient. */
    @Test
    void aPatientScopeReadsTheTokensPatientOnly() throws Exception {
        Set<String> observations = Set.of("patient/Observation.read", "patient/Patient.read");

        assertThat(smart(observations, "p-1", "GET", "Observation", "patient=p-1", false)).isEmpty();
        assertThat(smart(observations, "p-1", "GET", "Patient/p-1/Observation", null, false)).isEmpty();
        assertThat(smart(observations, "p-1", "GET", "Patient/p-1", null, false)).isEmpty();
        assertThat(smart(observations, "p-1", "GET", "Observation", null, false)).contains(PolicyDecision.Deny.NOT_CONFINED);
        assertThat(smart(observations, "p-1", "GET", "Patient/p-2/Observation", null, false)).contains(PolicyDecision.Deny.NOT_CONFINED);
        assertThat(smart(observations, "p-1", "GET", "Observation", "patient=p-1,p-2", false)).contains(PolicyDecision.Deny.NOT_CONFINED);
        assertThat(smart(observations, "p-1", "GET", "Observation/o-7", null, false))
                .as("a read by id cannot be told to be the patient's").contains(PolicyDecision.Deny.NOT_CONFINED);
        assertThat(smart(observations, "", "GET", "Observation", "patient=p-1", false)).contains(PolicyDecision.Deny.NO_PATIENT);
        assertThat(smart(Set.of("patient/*.rs"), "p-1", "GET", "Patient", "_id=p-1&_revinclude=Group:member", false))
                .as("included resources leave the patient's compartment").contains(PolicyDecision.Deny.NOT_CONFINED);
        assertThat(smart(Set.of("user/Observation.read"), "", "GET", "Observation", null, false)).as("user/ scopes are not bound").isEmpty();
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
