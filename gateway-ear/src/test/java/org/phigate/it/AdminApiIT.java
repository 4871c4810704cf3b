// SPDX-License-Identifier: Apache-2.0
package org.phigate.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.phigate.demo.FhirDemoServer;

/** The admin REST API on the admin plane, with tokens from a real Keycloak. */
class AdminApiIT extends AgainstTheGateway {

    private static FhirDemoServer backend;

    @BeforeAll
    static void start() throws Exception {
        backend = backend("admin-it");
    }

    @Test
    void withoutATokenTheApiAsksForOne() throws Exception {
        HttpResponse<String> response = gateway.get(Gateway.ADMIN + "/api/routes");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"phigate\"");
        assertThat(response.body()).contains("PHIG-4011");
    }

    /** The console's sign-in accepts a bearer token as a principal, but a token proves no second factor. */
    @Test
    void aBearerTokenOpensNoConsolePage() throws Exception {
        HttpResponse<String> page = gateway.get(Gateway.ADMIN + "/console/", ops());

        assertThat(page.statusCode()).as(page.body()).isEqualTo(403);
        assertThat(page.body()).contains("PHIG-4037", "bearer token");
    }

    @Test
    void theOpenApiDocumentIsServedWithoutAToken() throws Exception {
        HttpResponse<String> document = gateway.get(Gateway.ADMIN + "/api/openapi.json");

        assertThat(document.statusCode()).isEqualTo(200);
        assertThat(document.body()).contains("\"openapi\": \"3.1.0\"", "\"/identities/{name}\"");
    }

    @Test
    void aClinicalClientMayNotReadOrChangeTheConfiguration() throws Exception {
        HttpResponse<String> read = gateway.get(Gateway.ADMIN + "/api/routes", ehr());
        HttpResponse<String> write = gateway.put(Gateway.ADMIN + "/api/configuration", "application/json", "{}", ehr());

        assertThat(read.statusCode()).isEqualTo(403);
        assertThat(read.body()).contains("\"reason\":\"PHIG-4036\"");
        assertThat(write.statusCode()).isEqualTo(403);
    }

    @Test
    void aRouteCreatedThroughTheApiServesAtOnce() throws Exception {
        String document = """
                {"pools": {"api-pool": {"backends": ["https://127.0.0.1:%d"]}},
                 "routes": {"api-route": {"prefix": "/api-made/", "pool": "api-pool", "backendPath": "/r4/",
                                          "policy": {"roles": ["clinician"]}}}}
                """.formatted(backend.port());

        HttpResponse<String> applied = gateway.put(Gateway.ADMIN + "/api/configuration", "application/json", document, ops());

        assertThat(applied.statusCode()).isEqualTo(200);
        HttpResponse<String> proxied = gateway.get(Gateway.DATA + "/api-made/Patient", ehr());
        assertThat(proxied.statusCode()).as("served by the time the PUT answered").isEqualTo(200);
        assertThat(proxied.headers().firstValue("X-Backend-Instance")).hasValue("admin-it");
        assertThat(gateway.get(Gateway.ADMIN + "/api/routes", ops()).body()).contains("\"api-route\":{\"prefix\":\"/api-made/\"");
    }

    @Test
    void theWholeRegistryReadsInTheFileFormatAndGoesBackUnchanged() throws Exception {
        HttpResponse<String> current = gateway.get(Gateway.ADMIN + "/api/configuration", ops());
        assertThat(current.statusCode()).isEqualTo(200);
        assertThat(current.body()).contains("\"pools\":", "\"routes\":", "\"identities\":");

        HttpResponse<String> again = gateway.put(Gateway.ADMIN + "/api/configuration", "application/json", current.body(), ops());

        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(gateway.get(Gateway.ADMIN + "/api/configuration", ops()).body()).isEqualTo(current.body());
    }

    @Test
    void aRefusedDocumentNamesTheFieldAndChangesNothing() throws Exception {
        String document = """
                {"routes": {"api-bad": {"prefix": "/api-bad/", "pool": "no-such-pool",
                                        "policy": {"roles": ["clinician"]}, "requestTimeout": "soon"}}}
                """;

        HttpResponse<String> refused = gateway.put(Gateway.ADMIN + "/api/configuration", "application/json", document, ops());

        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.headers().firstValue("Content-Type")).get().asString().startsWith("application/problem+json");
        assertThat(refused.body()).contains("\"field\":\"routes.api-bad.requestTimeout\"", "\"line\":2");
        assertThat(gateway.get(Gateway.DATA + "/api-bad/Patient", ehr()).statusCode()).isEqualTo(404);
    }
}
