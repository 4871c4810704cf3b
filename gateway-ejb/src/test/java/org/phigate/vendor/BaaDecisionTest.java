// SPDX-License-Identifier: Apache-2.0
package org.phigate.vendor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.phigate.fhir.FhirRequest;
import org.phigate.route.control.RouteSpec;
import org.phigate.vendor.control.BaaDecision;
import org.phigate.vendor.control.PhiScope;
import org.phigate.vendor.control.VendorSpec;

class BaaDecisionTest {

    private static final Instant EFFECTIVE = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant EXPIRES = Instant.parse("2027-01-01T00:00:00Z");
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final RouteSpec LABS = route("labs", true);

    private static RouteSpec route(String name, boolean phi) {
        return new RouteSpec(name, "/" + name + "/", Set.of(), "acme", "/r4/", phi, Duration.ofSeconds(1), Duration.ofSeconds(1));
    }

    private static VendorSpec vendor(VendorSpec.Status status, PhiScope scope) {
        return new VendorSpec("acme-labs", "Acme Reference Laboratories, Inc.", "privacy@acme.example", status, EFFECTIVE, EXPIRES, scope,
                Optional.of(new VendorSpec.Agreement("baa.pdf", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")));
    }

    private static final VendorSpec LAB_TYPES = vendor(VendorSpec.Status.ACTIVE, new PhiScope(Set.of(), Set.of("Observation", "DiagnosticReport")));

    private static Optional<String> refusal(RouteSpec route, VendorSpec vendor, String remainder, String query, Instant at) {
        return BaaDecision.decide(route, Optional.of(vendor), FhirRequest.of("GET", remainder, query, false), at).map(BaaDecision.Refusal::reason);
    }

    private static Optional<String> refusal(String remainder, String query) {
        return refusal(LABS, LAB_TYPES, remainder, query, NOW);
    }

    @Test
    void anAgreementIsInForceFromItsEffectiveInstantUpToItsExpiry() {
        assertThat(refusal(LABS, LAB_TYPES, "Observation", null, EFFECTIVE.minusMillis(1))).hasValue(BaaDecision.NOT_YET_EFFECTIVE);
        assertThat(refusal(LABS, LAB_TYPES, "Observation", null, EFFECTIVE)).isEmpty();
        assertThat(refusal(LABS, LAB_TYPES, "Observation", null, EXPIRES.minusNanos(1))).isEmpty();
        assertThat(refusal(LABS, LAB_TYPES, "Observation", null, EXPIRES)).hasValue(BaaDecision.EXPIRED);
    }

    @Test
    void aDraftOrTerminatedAgreementCoversNothing() {
        PhiScope every = new PhiScope(Set.of(), Set.of("*"));
        assertThat(refusal(LABS, vendor(VendorSpec.Status.DRAFT, every), "Observation", null, NOW)).hasValue(BaaDecision.DRAFT);
        assertThat(refusal(LABS, vendor(VendorSpec.Status.TERMINATED, every), "Observation", null, NOW)).hasValue(BaaDecision.TERMINATED);
    }

    @Test
    void routesWithoutPhiOrWithoutAVendorAreNotTheGatesBusiness() {
        VendorSpec expired = LAB_TYPES;
        assertThat(refusal(route("catalogue", false), expired, "Patient", null, EXPIRES.plusSeconds(1))).isEmpty();
        assertThat(BaaDecision.decide(LABS, Optional.empty(), FhirRequest.of("GET", "Patient", null, false), NOW)).isEmpty();
    }

    @Test
    void theScopeNamesTheRoutesAndTheResourceTypesThatMayGo() {
        VendorSpec onlyOrders = vendor(VendorSpec.Status.ACTIVE, new PhiScope(Set.of("orders"), Set.of("*")));
        assertThat(refusal(route("orders", true), onlyOrders, "Anything/1", null, NOW)).isEmpty();
        assertThat(refusal(LABS, onlyOrders, "Observation", null, NOW)).hasValue(BaaDecision.OUT_OF_SCOPE);

        assertThat(refusal("Observation", "code=2345-7&patient=Patient/1")).as("a search parameter naming a patient discloses no Patient").isEmpty();
        assertThat(refusal("Observation/o-1/_history/2", null)).isEmpty();
        assertThat(refusal("metadata", null)).isEmpty();
        assertThat(refusal("Patient/p-1", null)).hasValue(BaaDecision.OUT_OF_SCOPE);
        assertThat(refusal("Patient/p-1/Observation", null)).as("a compartment search discloses its compartment's resource").hasValue(BaaDecision.OUT_OF_SCOPE);
    }

    @Test
    void requestsWhoseTypesCannotBeToldAreRefusedUnlessEveryTypeIsInScope() {
        assertThat(refusal("", null)).as("a transaction or batch at the base").hasValue(BaaDecision.OUT_OF_SCOPE);
        assertThat(refusal("_history", null)).hasValue(BaaDecision.OUT_OF_SCOPE);
        assertThat(refusal("", "_type=Observation,DiagnosticReport")).isEmpty();
        assertThat(refusal("", "_type=Observation,Patient")).hasValue(BaaDecision.OUT_OF_SCOPE);
        assertThat(refusal("Observation", "_include=Observation:subject")).hasValue(BaaDecision.OUT_OF_SCOPE);
        assertThat(refusal("Observation", "_include=Observation%3Aderived-from%3ADiagnosticReport")).isEmpty();
        assertThat(refusal("Observation", "_revinclude=Provenance:target")).hasValue(BaaDecision.OUT_OF_SCOPE);
        assertThat(refusal("Observation", "_include:iterate=*")).hasValue(BaaDecision.OUT_OF_SCOPE);

        VendorSpec every = vendor(VendorSpec.Status.ACTIVE, new PhiScope(Set.of("labs"), Set.of("*")));
        assertThat(refusal(LABS, every, "", "_include=*", NOW)).isEmpty();
    }

    @Test
    void operationsWildcardsReverseChainsAndSearchesInABodyAreRefusedUnlessEveryTypeIsInScope() {
        VendorSpec patientsOnly = vendor(VendorSpec.Status.ACTIVE, new PhiScope(Set.of(), Set.of("Patient")));
        for (String path : new String[] {"Patient/7/$everything", "Patient/$everything", "Patient/7/*", "Patient/7/$everything/x"}) {
            assertThat(refusal(LABS, patientsOnly, path, null, NOW)).as(path).hasValue(BaaDecision.OUT_OF_SCOPE);
        }
        assertThat(refusal(LABS, patientsOnly, "Patient", "_has:Observation:patient:code=1234-5", NOW)).hasValue(BaaDecision.OUT_OF_SCOPE);
        assertThat(refusal(LABS, patientsOnly, "Patient", "name=Ada", NOW)).isEmpty();
        assertThat(BaaDecision.decide(LABS, Optional.of(patientsOnly), FhirRequest.of("POST", "Patient/_search", null, true), NOW))
                .as("the parameters are in a body the gateway does not read").map(BaaDecision.Refusal::reason).hasValue(BaaDecision.OUT_OF_SCOPE);
        assertThat(BaaDecision.decide(LABS, Optional.of(patientsOnly), FhirRequest.of("POST", "Patient/_search", "name=Ada", false), NOW)).isEmpty();

        VendorSpec every = vendor(VendorSpec.Status.ACTIVE, new PhiScope(Set.of(), Set.of("*")));
        assertThat(refusal(LABS, every, "Patient/7/$everything", null, NOW)).isEmpty();
    }
}
