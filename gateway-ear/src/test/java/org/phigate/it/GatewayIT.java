// SPDX-License-Identifier: Apache-2.0
package org.phigate.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.phigate.demo.FhirDemoServer;

/**
 * The built EAR on a real WildFly configured by the repository's CLI scripts, with an H2 registry,
 * in front of real HTTPS backends: what a client and an operator see.
 */
class GatewayIT extends AgainstTheGateway {

    private static FhirDemoServer first;
    private static FhirDemoServer second;

    @BeforeAll
    static void backends() throws Exception {
        first = backend("it-first");
        second = backend("it-second");
    }

    private static String demoConfig() {
        return """
                pools:
                  it-demo:
                    backends:
                      - https://127.0.0.1:%d
                      - https://127.0.0.1:%d
                routes:
                  it-fhir:
                    prefix: /it-fhir/
                    pool: it-demo
                    backendPath: /r4/
                    policy: {roles: [clinician]}
                """.formatted(first.port(), second.port());
    }

    @Test
    void aRouteFromTheConfigurationFileProxiesOverTlsAcrossThePool() throws Exception {
        gateway.writeConfiguration(demoConfig());

        Set<String> instances = new HashSet<>();
        String token = ehr();
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> response = gateway.get(Gateway.DATA + "/it-fhir/Patient", token);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("\"resourceType\":\"Bundle\"");
            assertThat(response.headers().firstValue("Strict-Transport-Security")).hasValue("max-age=31536000");
            assertThat(response.headers().firstValue("X-Request-Id")).get().asString().matches("[0-9a-f]{32}");
            instances.add(response.headers().firstValue("X-Backend-Instance").orElseThrow());
        }
        assertThat(instances).containsExactlyInAnyOrder("it-first", "it-second");
    }

    @Test
    void theDataPlaneNeverServesTheAdminPlane() throws Exception {
        HttpResponse<String> onData = gateway.get(Gateway.DATA + "/api/health");
        HttpResponse<String> onAdmin = gateway.get(Gateway.ADMIN + "/api/health");

        assertThat(onData.statusCode()).isEqualTo(404);
        assertThat(onData.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(onData.body()).contains("PHIG-4040").doesNotContain("routeTableGeneration");
        assertThat(onData.headers().firstValue("Strict-Transport-Security")).hasValue("max-age=31536000");
        assertThat(onAdmin.statusCode()).isEqualTo(200);
        assertThat(onAdmin.body()).contains("\"status\":\"UP\"");
        assertThat(onAdmin.headers().firstValue("Strict-Transport-Security")).hasValue("max-age=31536000");
    }

    @Test
    void theAdminPlaneNeverProxies() throws Exception {
        gateway.writeConfiguration(demoConfig());

        HttpResponse<String> response = gateway.get(Gateway.ADMIN + "/it-fhir/Patient", ehr());

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).doesNotContain("Bundle");
        assertThat(response.headers().firstValue("X-Backend-Instance")).isEmpty();
    }

    @Test
    void aRefusedFileChangesNothingAndSaysWhere() throws Exception {
        gateway.writeConfiguration(demoConfig());
        String bad = """
                pools2:
                  ignored: 1
                pools:
                  it-demo:
                    backends:
                      - https://127.0.0.1:%d
                      - https://127.0.0.1:%d
                routes:
                  it-fhir:
                    prefix: /it-fhir/
                    pool: it-demo
                    backendPath: /r4/
                    methods: [GET]
                    policy: {roles: [clinician]}
                  it-new:
                    prefix: /it-new/
                    pool: it-demo
                    requestTimeout: forever
                """.formatted(first.port(), second.port());

        String refused = gateway.writeConfiguration(bad);

        String health = gateway.awaitHealth(body -> body.contains("\"refusedSha256\":\"" + refused + "\""));
        assertThat(health).contains("\"code\":\"PHIG-1003\"", "\"field\":\"pools2\"", "\"line\":1,");
        assertThat(health).contains("\"field\":\"routes.it-new.requestTimeout\"", "\"line\":18,");
        assertThat(health).contains(System.getProperty("phigate.it.config"));
        assertThat(gateway.get(Gateway.DATA + "/it-new/Patient", ehr()).statusCode())
                .as("the new route of the refused file").isEqualTo(404);
        assertThat(gateway.post(Gateway.DATA + "/it-fhir/Patient", "{}", ehr()).statusCode())
                .as("the valid part of the refused file (GET only) was not applied either").isEqualTo(201);
    }

    @Test
    void aPhiRouteToAPlainHttpBackendIsRefusedNamingTheRoute() throws Exception {
        String refused = gateway.writeConfiguration(demoConfig()
                .replace("routes:", "  it-vendor:\n    backends: [http://127.0.0.1:9]\nroutes:")
                + "  it-labs:\n    prefix: /it-labs/\n    pool: it-vendor\n    policy: {roles: [clinician]}\n");

        String health = gateway.awaitHealth(body -> body.contains("\"refusedSha256\":\"" + refused + "\""));
        assertThat(health).contains("\"code\":\"PHIG-1004\"", "route it-labs");
        assertThat(gateway.get(Gateway.DATA + "/it-labs/anything", ehr()).statusCode()).isEqualTo(404);
    }

    @Test
    void aDeadBackendIsA502Problem() throws Exception {
        int dead;
        try (ServerSocket s = new ServerSocket(0)) {
            dead = s.getLocalPort();
        }
        gateway.writeConfiguration("""
                pools:
                  it-dead: {backends: ["https://127.0.0.1:%d"]}
                routes:
                  it-dead: {prefix: /it-dead/, pool: it-dead, connectTimeout: 1s, policy: {roles: [clinician]}}
                """.formatted(dead));

        HttpResponse<String> response = gateway.get(Gateway.DATA + "/it-dead/Patient", ehr());

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.body()).contains("\"code\":\"PHIG-5020\"").doesNotContain(String.valueOf(dead));
    }
}
