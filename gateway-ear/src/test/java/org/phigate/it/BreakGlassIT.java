// SPDX-License-Identifier: Apache-2.0
package org.phigate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.phigate.demo.FhirDemoServer;

/** Emergency access end to end: Keycloak's er-physician breaks the glass, the privacy officer reviews it. */
class BreakGlassIT extends AgainstTheGateway {

    private static final String WHY = "Unresponsive patient in resus, need oncology history";
    private static FhirDemoServer backend;

    @BeforeAll
    static void start() throws Exception {
        backend = backend("glass-it");
        HttpResponse<String> applied = gateway.put(Gateway.ADMIN + "/api/configuration", "application/json", """
                {"pools": {"glass-pool": {"backends": ["https://127.0.0.1:%d"]}},
                 "routes": {"it-oncology": {"prefix": "/it-oncology/", "pool": "glass-pool", "backendPath": "/r4/",
                                            "policy": {"roles": ["oncologist"], "breakGlass": true}}}}
                """.formatted(backend.port()), ops());
        assertThat(applied.statusCode()).isEqualTo(200);
    }

    private static HttpResponse<String> withJustification(String token) throws Exception {
        return gateway.send(java.net.http.HttpRequest.newBuilder(URI.create(Gateway.DATA + "/it-oncology/Patient"))
                .header("Authorization", "Bearer " + token).header("PHIGate-Break-Glass", WHY).build());
    }

    @Test
    void theErPhysicianBreaksTheGlassAndThePrivacyOfficerReviewsIt() throws Exception {
        String er = keycloak.userToken("phigate", "phigate-clinician-app", "er-physician", "erPassword");
        String officer = keycloak.userTokenWithCode("phigate", "phigate-clinician-app", "privacy-officer", "privacyPassword", "privacyTotpSecret");

        assertThat(gateway.get(Gateway.DATA + "/it-oncology/Patient", er).statusCode()).as("no justification").isEqualTo(403);
        assertThat(withJustification(er).statusCode()).isEqualTo(200);

        Map<String, Object> event = openEvent(officer);
        assertThat(event).containsEntry("username", "er-physician").containsEntry("justification", WHY).containsEntry("open", true);
        HttpResponse<String> unknownOutcome = gateway.post(Gateway.ADMIN + "/api/break-glass-events/" + event.get("eventId") + "/review",
                "application/json", "{\"outcome\": \"fine\", \"note\": \"?\"}", officer);
        assertThat(unknownOutcome.statusCode()).isEqualTo(422);
        assertThat(unknownOutcome.body()).contains("PHIG-1007", "outcome");
        HttpResponse<String> review = gateway.post(Gateway.ADMIN + "/api/break-glass-events/" + event.get("eventId") + "/review",
                "application/json", "{\"outcome\": \"flagged\", \"note\": \"No ED encounter for this patient that night.\"}", officer);
        assertThat(review.statusCode()).isEqualTo(200);
        assertThat(review.body()).contains("\"open\":false", "\"reviewedBy\":\"privacy-officer\"", "\"outcome\":\"flagged\"");
        HttpResponse<String> again = gateway.post(Gateway.ADMIN + "/api/break-glass-events/" + event.get("eventId") + "/review",
                "application/json", "{\"note\": \"again\"}", officer);
        assertThat(again.statusCode()).isEqualTo(409);
    }

    @Test
    void aClinicianWithoutTheRoleCannotBreakTheGlass() throws Exception {
        String clinician = keycloak.userToken("phigate", "phigate-clinician-app", "clinician", "clinicianPassword");

        HttpResponse<String> response = withJustification(clinician);

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("PHIG-4032");
    }

    @Test
    void onlyAPrivacyOfficerReviewsAndOnlyOfficersAndAuditorsRead() throws Exception {
        String ops = ops();
        String er = keycloak.userToken("phigate", "phigate-clinician-app", "er-physician", "erPassword");

        assertThat(gateway.get(Gateway.ADMIN + "/api/break-glass-events", ops).statusCode()).as("ops is an auditor").isEqualTo(200);
        assertThat(gateway.get(Gateway.ADMIN + "/api/break-glass-events", er).statusCode()).isEqualTo(403);
        assertThat(gateway.post(Gateway.ADMIN + "/api/break-glass-events/any/review", "application/json", "{\"note\": \"x\"}", ops)
                .statusCode()).isEqualTo(403);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> openEvent(String officer) throws Exception {
        HttpResponse<String> list = gateway.get(Gateway.ADMIN + "/api/break-glass-events", officer);
        assertThat(list.statusCode()).isEqualTo(200);
        List<Object> events = (List<Object>) JSONObjectUtils.parse(list.body()).get("events");
        return events.stream().map(e -> (Map<String, Object>) e)
                .filter(e -> "it-oncology".equals(e.get("route")) && Boolean.TRUE.equals(e.get("open")))
                .findFirst().orElseThrow(() -> new AssertionError("no open event for it-oncology in " + list.body()));
    }
}
