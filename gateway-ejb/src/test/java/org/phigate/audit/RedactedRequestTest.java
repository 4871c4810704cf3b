// SPDX-License-Identifier: Apache-2.0
package org.phigate.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.phigate.audit.control.AuditedParameters;
import org.phigate.audit.control.Pseudonyms;
import org.phigate.audit.control.RedactedRequest;

class RedactedRequestTest {

    private static final Pseudonyms PSEUDONYMS = new Pseudonyms(new SecretKeySpec("test key of 32 bytes, not a real".getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
    private static RedactedRequest redact(String method, String remainder, String query) {
        return RedactedRequest.of("/fhir/", method, remainder, query, Set.of(), PSEUDONYMS);
    }

    @Test
    void aPatientReadKeepsTheTypeAndPseudonymisesTheId() {
        RedactedRequest r = redact("GET", "Patient/pat-7734", null);

        assertThat(r.path()).isEqualTo("/fhir/Patient/*");
        assertThat(r.resourceType()).isEqualTo("Patient");
        assertThat(r.interaction()).isEqualTo("read");
        assertThat(r.patients()).isEqualTo(PSEUDONYMS.patient("pat-7734")).hasSize(32).doesNotContain("7734");
    }

    @Test
    void theSamePatientIsFoundByPathCompartmentAndSearchParameters() {
        String pseudonym = PSEUDONYMS.patient("pat-7734");

        assertThat(redact("GET", "Patient/pat-7734/Observation", "code=1234-5&_count=10").patients()).isEqualTo(pseudonym);
        assertThat(redact("GET", "Observation", "patient=pat-7734").patients()).isEqualTo(pseudonym);
        assertThat(redact("GET", "Observation", "subject=Patient%2Fpat-7734").patients()).isEqualTo(pseudonym);
        assertThat(redact("GET", "Observation", "patient=Patient/pat-7734,pat-9").patients())
                .isEqualTo(pseudonym + "," + PSEUDONYMS.patient("pat-9"));
        assertThat(redact("GET", "Observation", "subject=Group/g1").patients()).isEmpty();
    }

    /** Each way FHIR names a patient reaches the record, so that the accounting of disclosures finds the request. */
    @Test
    void idsAbsoluteReferencesChainsAndSeveralValuesNameTheirPatients() {
        String p1001 = PSEUDONYMS.patient("p-1001");

        for (String[] request : new String[][] {{"Patient", "_id=p-1001"}, {"Patient/_search", "_id=p-1001"},
                {"Observation", "subject=p-1001"}, {"Observation", "subject=https%3A%2F%2Fhost%2Ffhir%2FPatient%2Fp-1001"},
                {"Observation", "subject=https://host/fhir/Patient/p-1001/_history/3"}, {"Observation", "subject:Patient=p-1001"},
                {"Observation", "subject:Patient._id=p-1001"}, {"Observation", "patient._id=p-1001"},
                {"Coverage", "beneficiary=Patient/p-1001"}, {"Patient/p-1001/$everything", null}}) {
            assertThat(redact("GET", request[0], request[1]).patients()).as(request[0] + "?" + request[1]).isEqualTo(p1001);
        }
        assertThat(redact("GET", "Patient", "_id=p-1001,p-1002").patients()).isEqualTo(p1001 + "," + PSEUDONYMS.patient("p-1002"));
        assertThat(redact("GET", "Observation", "subject=p-1001&patient=p-1003").patients())
                .isEqualTo(p1001 + "," + PSEUDONYMS.patient("p-1003"));
        assertThat(redact("GET", "Observation", "_id=o-1").patients()).as("an Observation's own id names no patient").isEmpty();
        assertThat(redact("GET", "Observation", "subject:Group=g-1").patients()).isEmpty();
    }

    @Test
    void aSearchForManyPatientsRecordsEachOfThemUpToSixtyFour() {
        String ids = String.join(",", java.util.stream.IntStream.range(0, 70).mapToObj(i -> "p-" + i).toList());

        String recorded = redact("GET", "Patient", "_id=" + ids).patients();

        assertThat(recorded.split(",")).hasSize(64).contains(PSEUDONYMS.patient("p-0"), PSEUDONYMS.patient("p-63"));
        assertThat(recorded.length()).isLessThanOrEqualTo(2200);
    }

    @Test
    void searchValuesAreDroppedUnlessAllowlistedAndIdsThatLookLikeTypesAreStillIds() {
        RedactedRequest search = redact("GET", "Patient/pat-7734/Observation", "code=1234-5&_count=10&name=O%27Brien");
        assertThat(search.path()).isEqualTo("/fhir/Patient/*/Observation?_count=10");
        assertThat(search.interaction()).isEqualTo("search");
        assertThat(search.resourceType()).isEqualTo("Observation");

        assertThat(redact("GET", "Patient/Smith", null).path()).isEqualTo("/fhir/Patient/*");
        assertThat(redact("GET", "Patient/7/_history/3", null)).satisfies(r -> {
            assertThat(r.path()).isEqualTo("/fhir/Patient/*/_history/*");
            assertThat(r.interaction()).isEqualTo("vread");
        });
        assertThat(redact("POST", "Patient/$match", "bad=%zz").path()).isEqualTo("/fhir/Patient/$match");
        assertThat(redact("PUT", "Observation/obs-1", null).interaction()).isEqualTo("update");
    }

    @Test
    void aRouteKeepsTheParametersItAllowlistsByExactName() {
        RedactedRequest r = RedactedRequest.of("/labs/", "GET", "Observation",
                "code=http%3A%2F%2Floinc.org%7C2345-7&status=final&code:text=glucose&patient=pat-7734&_count=5",
                Set.of("code", "status"), PSEUDONYMS);

        assertThat(r.path()).isEqualTo("/labs/Observation?code=http%3A%2F%2Floinc.org%7C2345-7&status=final&_count=5");
        assertThat(r.patients()).isEqualTo(PSEUDONYMS.patient("pat-7734"));
    }

    @Test
    void parametersThatIdentifyAPersonOrCarryFreeTextCannotBeAllowlisted() {
        assertThat(AuditedParameters.refusal("patient")).hasValueSatisfying(m -> assertThat(m).contains("never kept in clear"));
        assertThat(AuditedParameters.refusal("Identifier")).isPresent();
        assertThat(AuditedParameters.refusal("_content")).isPresent();
        assertThat(AuditedParameters.refusal("code:text")).hasValueSatisfying(m -> assertThat(m).contains("plain parameter name"));
        assertThat(AuditedParameters.refusal("subject.name")).isPresent();
        assertThat(AuditedParameters.refusal("code")).isEmpty();
        assertThat(AuditedParameters.refusal("status")).isEmpty();
    }
}
