// SPDX-License-Identifier: Apache-2.0
package org.phigate.it;

import java.util.ArrayList;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.phigate.demo.FhirDemoServer;

/**
 * What every integration test class starts from: the built EAR deployed on the managed WildFly, the gateway's two
 * planes, the real Keycloak's tokens, and sample FHIR backends over TLS that the class starts and that stop with it.
 */
@ExtendWith(ArquillianExtension.class)
abstract class AgainstTheGateway {

    static Gateway gateway;
    static Keycloak keycloak;
    private static final List<FhirDemoServer> backends = new ArrayList<>();

    @Deployment(testable = false)
    static EnterpriseArchive ear() {
        return PhigateEar.built();
    }

    @BeforeAll
    static void connect() throws Exception {
        gateway = new Gateway();
        keycloak = new Keycloak();
    }

    @AfterAll
    static void stopBackends() {
        backends.forEach(FhirDemoServer::close);
        backends.clear();
    }

    /** A sample FHIR backend on a free loopback port, with the certificate of the gateway's private CA. */
    static FhirDemoServer backend(String instance) throws Exception {
        FhirDemoServer backend = FhirDemoServer.start(0, gateway.pki().resolve("backend.p12"), gateway.password(), instance);
        backends.add(backend);
        return backend;
    }

    /** A token of the automation client phigate-ops (gateway-admin, gateway-auditor). */
    static String ops() throws Exception {
        return keycloak.clientToken("phigate", "phigate-ops", "opsSecret");
    }

    /** A token of the sample EHR client phigate-ehr (clinician). */
    static String ehr() throws Exception {
        return keycloak.clientToken("phigate", "phigate-ehr", "ehrSecret");
    }

    /** The audit record of a request, as the records API shows it, once it is complete (at most 10 s). */
    static String recordOf(String requestId) throws Exception {
        java.time.Instant deadline = java.time.Instant.now().plusSeconds(10);
        String body = gateway.get(Gateway.ADMIN + "/api/audit/records?requestId=" + requestId, ops()).body();
        while (!body.contains("\"complete\":true") && java.time.Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
            body = gateway.get(Gateway.ADMIN + "/api/audit/records?requestId=" + requestId, ops()).body();
        }
        return body;
    }

    /** The audit record of the request that got this response. */
    static String recordOf(java.net.http.HttpResponse<String> response) throws Exception {
        return recordOf(response.headers().firstValue("X-Request-Id").orElseThrow());
    }
}
