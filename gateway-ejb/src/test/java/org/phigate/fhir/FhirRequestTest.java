// SPDX-License-Identifier: Apache-2.0
package org.phigate.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FhirRequestTest {

    private static FhirRequest get(String path, String query) {
        return FhirRequest.of("GET", path, query, false);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Observation|                                           | Observation",
            "Patient/7/Observation|                                 | Observation,Patient",
            "Patient|_revinclude=Observation:subject                | Observation,Patient",
            "Observation|_include=Observation:subject:Patient       | Observation,Patient",
            "Observation|_include:iterate=Observation:subject:Patient| Observation,Patient",
            "''|_type=Observation,Condition                         | Condition,Observation",
            "Patient|_has:Observation:patient:code=1234-5            | Observation,Patient",
            "metadata|                                              | ''",
            "Observation|patient.name=Smith&patient.birthdate=1970  | Observation,Patient",
            "Observation|subject:Patient.name=Smith                 | Observation,Patient",
            "Encounter|subject:Patient.organization:Organization.name=x | Encounter,Organization,Patient",
            "Observation|code:text=glucose                          | Observation"})
    void theTypesAnAnswerCanHoldAreReadFromThePathAndTheParameters(String path, String query, String types) {
        FhirRequest.Disclosure d = get(path, query).disclosure();

        assertThat(d.complete()).isTrue();
        assertThat(d.types()).isEqualTo(types.isEmpty() ? Set.of() : Set.of(types.split(",")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Patient/7/$everything|", "Patient/$everything|", "Patient/7/*|", "''|", "_history|", "_search|",
            "Patient|_revinclude=*", "Patient|_include=*", "Observation|_include=Observation:subject",
            "Observation|_contained=true", "Patient|_has:x:patient:code=1", "''|_type=observation",
            "Observation|_revinclude=Provenance:target,AuditEvent:entity", "Observation|subject.name=Smith",
            "Observation|_filter=code eq 1234-5"})
    void anAnswerWhoseTypesCannotBeToldIsIncomplete(String path, String query) {
        assertThat(get(path, query).disclosure().complete()).as(path + "?" + query).isFalse();
    }

    @Test
    void aSearchWithItsParametersInTheBodyCanReturnAnything() {
        FhirRequest inBody = FhirRequest.of("POST", "Patient/_search", null, true);

        assertThat(inBody.searchesInBody()).isTrue();
        assertThat(inBody.disclosure().complete()).isFalse();
        assertThat(FhirRequest.of("POST", "Patient/_search", "name=Ada", false).disclosure().complete()).isTrue();
        assertThat(FhirRequest.of("POST", "", null, true).disclosure().complete()).as("a batch or transaction").isFalse();
    }

    @Test
    void aRequestIsConfinedToOnePatientOnlyWhenEveryPatientItNamesIsThatOne() {
        assertThat(get("Patient/p-1", null).confinedTo()).hasValue("p-1");
        assertThat(get("Patient/p-1/Observation", null).confinedTo()).hasValue("p-1");
        assertThat(get("Observation", "patient=p-1&code=1234-5").confinedTo()).hasValue("p-1");
        assertThat(get("Observation", "subject=Patient/p-1").confinedTo()).hasValue("p-1");
        assertThat(get("Patient", "_id=p-1").confinedTo()).hasValue("p-1");

        assertThat(get("Observation", null).confinedTo()).isEmpty();
        assertThat(get("Observation", "patient=p-1,p-2").confinedTo()).isEmpty();
        assertThat(get("Observation", "patient=p-1&subject=Patient/p-2").confinedTo()).isEmpty();
        assertThat(get("Patient/p-2/Observation", "patient=p-1").confinedTo()).isEmpty();
        assertThat(get("Observation", "subject=p-1").confinedTo()).as("a bare subject id may be a Group's").isEmpty();
        assertThat(get("Observation", "patient:missing=true").confinedTo()).isEmpty();
    }
}
