// SPDX-License-Identifier: Apache-2.0
package org.phigate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.phigate.fhir.FhirInteraction;

class SmartScopesTest {

    private static FhirInteraction of(String method, String path) {
        return FhirInteraction.of(method, path).orElseThrow();
    }

    @ParameterizedTest
    @CsvSource({
            "GET, Observation, Observation, s",
            "GET, Observation/o-1, Observation, r",
            "GET, Observation/o-1/_history/2, Observation, r",
            "HEAD, Observation/o-1, Observation, r",
            "POST, Observation, Observation, c",
            "POST, Observation/_search, Observation, s",
            "PUT, Observation/o-1, Observation, u",
            "PATCH, Observation/o-1, Observation, u",
            "DELETE, Observation/o-1, Observation, d",
            "GET, Patient/p-1/Observation, Observation, s",
            "POST, Patient/p-1/Condition/_search, Condition, s"})
    void readsTheInteractionFromMethodAndPath(String method, String path, String type, char permission) {
        assertThat(of(method, path)).isEqualTo(new FhirInteraction(type, permission));
    }

    @Test
    void operationsBatchesAndCapabilitiesAreNoResourceInteraction() {
        assertThat(FhirInteraction.of("POST", "")).isEmpty();
        assertThat(FhirInteraction.of("GET", "metadata")).isEmpty();
        assertThat(FhirInteraction.of("POST", "Patient/$match")).isEmpty();
        assertThat(FhirInteraction.of("GET", "Patient/p-1/$everything")).isEmpty();
        assertThat(FhirInteraction.of("PUT", "Observation")).isEmpty();
        assertThat(FhirInteraction.of("GET", "_history")).isEmpty();
    }

    @Test
    void patientObservationReadMayReadObservationNotWriteItNotReadCondition() {
        List<String> granted = List.of("openid", "patient/Observation.read");

        assertThat(SmartScopes.permit(granted, of("GET", "Observation/o-1"))).isTrue();
        assertThat(SmartScopes.permit(granted, of("GET", "Observation"))).isTrue();
        assertThat(SmartScopes.permit(granted, of("POST", "Observation"))).isFalse();
        assertThat(SmartScopes.permit(granted, of("PUT", "Observation/o-1"))).isFalse();
        assertThat(SmartScopes.permit(granted, of("GET", "Condition/c-1"))).isFalse();
    }

    @Test
    void v2LettersAndWildcards() {
        assertThat(SmartScopes.permit(List.of("user/*.rs"), of("GET", "Condition/c-1"))).isTrue();
        assertThat(SmartScopes.permit(List.of("user/*.rs"), of("DELETE", "Condition/c-1"))).isFalse();
        assertThat(SmartScopes.permit(List.of("system/Observation.cud"), of("POST", "Observation"))).isTrue();
        assertThat(SmartScopes.permit(List.of("system/Observation.cud"), of("GET", "Observation/o-1"))).isFalse();
        assertThat(SmartScopes.permit(List.of("patient/*.*"), of("DELETE", "Patient/p-1"))).isTrue();
        assertThat(SmartScopes.permit(List.of("patient/*.write"), of("GET", "Patient/p-1"))).isFalse();
    }

    @Test
    void malformedOrNarrowedScopesGrantNothing() {
        assertThat(SmartScopes.permit(List.of("patient/Observation.rs?category=laboratory"), of("GET", "Observation"))).isFalse();
        assertThat(SmartScopes.permit(List.of("patient/Observation.sr"), of("GET", "Observation"))).as("v2 letters are ordered").isFalse();
        assertThat(SmartScopes.permit(List.of("Observation.read", "patient/observation.read", "launch/patient"), of("GET", "Observation"))).isFalse();
        assertThat(SmartScopes.permit(List.of(), of("GET", "Observation"))).isFalse();
    }
}
