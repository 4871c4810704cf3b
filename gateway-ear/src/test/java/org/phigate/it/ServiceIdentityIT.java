// SPDX-License-Identifier: Apache-2.0
package org.phigate.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.phigate.demo.FhirDemoServer;

/**
 * Mutual TLS on the real data listener (Elytron asks for client certificates, the private CA signs them), service
 * identities registered, disabled and removed one item at a time through the admin API, with a real Keycloak's tokens.
 */
class ServiceIdentityIT extends AgainstTheGateway {

    private static final String JSON = "application/json";
    private static FhirDemoServer backend;

    @BeforeAll
    static void start() throws Exception {
        backend = backend("identity-it");
    }

    private static HttpResponse<String> put(String item, String json) throws Exception {
        return gateway.put(Gateway.ADMIN + "/api/" + item, JSON, json, ops());
    }

    @Test
    void aRegisteredCertificateGetsThroughAndIsCutOffTheMomentItsIdentityIsDisabled() throws Exception {
        Gateway.ClientCertificate lab = gateway.issueClientCertificate("it-lab-feed");
        Gateway.ClientCertificate stranger = gateway.issueClientCertificate("it-stranger");
        String identity = "{\"fingerprint\": \"%s\", \"enabled\": %s, \"description\": \"Laboratory results feed\"}";
        assertThat(put("identities/it-lab-feed", identity.formatted(lab.fingerprint(), true)).statusCode()).isIn(200, 201);
        assertThat(put("pools/it-lab-pool", "{\"backends\": [\"https://127.0.0.1:" + backend.port() + "\"]}").statusCode()).isIn(200, 201);
        HttpResponse<String> route = put("routes/it-lab", """
                {"prefix": "/it-lab/", "pool": "it-lab-pool", "backendPath": "/r4/", "policy": {"identities": ["it-lab-feed"]}}""");
        assertThat(route.statusCode()).isIn(200, 201);
        assertThat(route.headers().firstValue("PHIGate-Route-Table-Generation")).isPresent();

        HttpResponse<String> echoed = lab.get(Gateway.DATA + "/it-lab/_debug/echo");
        assertThat(echoed.statusCode()).isEqualTo(200);
        assertThat(echoed.body()).contains("\"x-phigate-service-identity\":[\"it-lab-feed\"]");
        assertThat(stranger.get(Gateway.DATA + "/it-lab/Patient").body()).contains("\"code\":\"PHIG-4013\"");
        assertThat(gateway.get(Gateway.DATA + "/it-lab/Patient").statusCode()).isEqualTo(401);

        assertThat(put("identities/it-lab-feed", identity.formatted(lab.fingerprint(), false)).statusCode()).isEqualTo(200);
        HttpResponse<String> disabled = lab.get(Gateway.DATA + "/it-lab/Patient");
        assertThat(disabled.statusCode()).isEqualTo(401);
        assertThat(disabled.body()).contains("\"code\":\"PHIG-4013\"");
    }

    @Test
    void itemsAreReadReplacedAndRemovedOneAtATimeAndNothingStillInUseGoes() throws Exception {
        Gateway.ClientCertificate feed = gateway.issueClientCertificate("it-crud-feed");
        put("identities/it-crud-feed", "{\"fingerprint\": \"" + feed.fingerprint() + "\"}");
        put("pools/it-crud-pool", "{\"backends\": [\"https://127.0.0.1:" + backend.port() + "\"]}");
        put("routes/it-crud", "{\"prefix\": \"/it-crud/\", \"pool\": \"it-crud-pool\", \"backendPath\": \"/r4/\"}");
        String api = Gateway.ADMIN + "/api/";

        assertThat(feed.get(Gateway.DATA + "/it-crud/Patient").statusCode()).as("no policy admits nobody").isEqualTo(401);
        assertThat(gateway.put(api + "routes/it-crud/policy", JSON, "{\"identities\": [\"it-crud-feed\"]}", ops()).statusCode()).isEqualTo(200);
        assertThat(feed.get(Gateway.DATA + "/it-crud/Patient").statusCode()).isEqualTo(200);
        assertThat(gateway.get(api + "routes/it-crud", ops()).body()).contains("\"identities\":[\"it-crud-feed\"]", "\"connectTimeout\":\"5000ms\"");

        HttpResponse<String> inUse = gateway.delete(api + "identities/it-crud-feed", ops());
        assertThat(inUse.statusCode()).isEqualTo(409);
        assertThat(inUse.body()).contains("PHIG-1009", "it-crud");
        HttpResponse<String> badPolicy = gateway.put(api + "routes/it-crud/policy", JSON, "{\"identities\": [\"nobody-registered\"]}", ops());
        assertThat(badPolicy.statusCode()).isEqualTo(422);
        assertThat(badPolicy.body()).contains("PHIG-1008", "routes.it-crud.policy.identities");

        assertThat(gateway.delete(api + "routes/it-crud/policy", ops()).statusCode()).isEqualTo(204);
        assertThat(feed.get(Gateway.DATA + "/it-crud/Patient").statusCode()).isEqualTo(401);
        assertThat(gateway.delete(api + "routes/it-crud", ops()).statusCode()).isEqualTo(204);
        assertThat(gateway.get(Gateway.DATA + "/it-crud/Patient").statusCode()).isEqualTo(404);
        assertThat(gateway.delete(api + "identities/it-crud-feed", ops()).statusCode()).isEqualTo(204);
        assertThat(gateway.delete(api + "pools/it-crud-pool", ops()).statusCode()).isEqualTo(204);
        assertThat(gateway.get(api + "pools/it-crud-pool", ops()).statusCode()).isEqualTo(404);
        assertThat(gateway.delete(api + "pools/it-crud-pool", ops()).statusCode()).isEqualTo(404);
    }
}
