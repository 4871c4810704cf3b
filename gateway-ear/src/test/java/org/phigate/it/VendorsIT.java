// SPDX-License-Identifier: Apache-2.0
package org.phigate.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.phigate.demo.FhirDemoServer;

/**
 * Business associates on the real server: a vendor route forwards under an agreement in force, is refused the moment
 * the agreement expires (no change, no restart) with the refusal audited under the vendor, shows in the expiry
 * notices and the metrics, and forwards again once the agreement is renewed through the admin API. Each test makes
 * its own vendor, pool and route.
 */
class VendorsIT extends AgainstTheGateway {

    private static final String SHA256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    private static String vendor(Instant expires) {
        return """
                {"legalName": "Acme Reference Laboratories, Inc.", "contact": "privacy@acme-labs.example", "status": "active",
                 "effective": "2026-01-01", "expires": "%s", "phiScope": {"resourceTypes": ["Observation"]},
                 "agreement": {"file": "acme-baa-2026.pdf", "sha256": "%s"}}
                """.formatted(expires, SHA256);
    }

    /** A vendor whose agreement expires at {@code expires}, a pool it runs and a PHI route to it; answers the route's prefix. */
    private static String vendorRoute(String name, Instant expires) throws Exception {
        FhirDemoServer backend = backend(name);
        HttpResponse<String> applied = gateway.put(Gateway.ADMIN + "/api/configuration", "application/json", """
                {"vendors": {"%1$s": %2$s},
                 "pools": {"%1$s": {"backends": ["https://127.0.0.1:%3$d"], "vendor": "%1$s"}},
                 "routes": {"%1$s": {"prefix": "/%1$s/", "pool": "%1$s", "backendPath": "/r4/", "policy": {"roles": ["clinician"]}}}}
                """.formatted(name, vendor(expires), backend.port()), ops());
        assertThat(applied.statusCode()).as(applied.body()).isEqualTo(200);
        return "/" + name + "/";
    }

    private static String name() {
        return "it-vendor-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aVendorRouteIsRefusedTheMomentItsAgreementExpiresAndServesAgainOnceRenewed() throws Exception {
        String name = name();
        Instant expires = Instant.now().plusSeconds(10).truncatedTo(ChronoUnit.SECONDS);
        String route = vendorRoute(name, expires);

        assertThat(gateway.get(Gateway.DATA + route + "Observation?code=2345-7", ehr()).statusCode()).isEqualTo(200);
        HttpResponse<String> refused = null;
        Instant deadline = expires.plusSeconds(15);
        while (refused == null && Instant.now().isBefore(deadline)) {
            Instant sent = Instant.now();
            HttpResponse<String> r = gateway.get(Gateway.DATA + route + "Observation?code=2345-7", ehr());
            if (r.statusCode() == 403) {
                refused = r;
                assertThat(Instant.now()).as("refused only once the agreement expired").isAfterOrEqualTo(expires);
                assertThat(sent).as("refused within a poll of the expiry").isBefore(expires.plusSeconds(2));
            } else {
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(sent).as("forwarded only while the agreement was in force").isBefore(expires);
                Thread.sleep(100);
            }
        }
        assertThat(refused).as("refused within 15 s of the expiry").isNotNull();
        assertThat(refused.body()).contains("\"code\":\"PHIG-4039\"", "\"reason\":\"PHIG-4394\"");
        String id = refused.headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(gateway.get(Gateway.ADMIN + "/api/audit/records?vendor=" + name + "&decision=REFUSE", ops()).body())
                .contains("\"requestId\":\"" + id + "\"", "\"reason\":\"PHIG-4394\"", "\"vendor\":\"" + name + "\"");
        assertThat(gateway.get(Gateway.ADMIN + "/api/expiries", ops()).body())
                .contains("\"kind\":\"baa\",\"name\":\"" + name + "\",\"expires\":\"" + expires + "\",\"stage\":\"expired\"");
        assertThat(gateway.get(Gateway.ADMIN + "/api/metrics", ops()).body()).contains("phigate_baa_in_force{vendor=\"" + name + "\"} 0");

        Instant renewed = expires.plus(Duration.ofDays(365));
        HttpResponse<String> renewal = gateway.put(Gateway.ADMIN + "/api/vendors/" + name, "application/json", vendor(renewed), ops());
        assertThat(renewal.statusCode()).as(renewal.body()).isEqualTo(200);
        assertThat(renewal.body()).contains("\"expires\":\"" + renewed + "\"");
        assertThat(gateway.get(Gateway.DATA + route + "Observation?code=2345-7", ehr()).statusCode()).isEqualTo(200);
        assertThat(gateway.get(Gateway.ADMIN + "/api/metrics", ops()).body()).contains("phigate_baa_in_force{vendor=\"" + name + "\"} 1");
    }

    @Test
    void theRegistryRefusesBadAgreementsAndKeepsALinkedVendorAndAClinicianCannotChangeIt() throws Exception {
        String name = name();
        vendorRoute(name, Instant.now().plus(Duration.ofDays(20)));

        assertThat(gateway.get(Gateway.ADMIN + "/api/expiries", ops()).body()).contains("\"name\":\"" + name + "\"", "\"stage\":\"30d\"");
        HttpResponse<String> backwards = gateway.put(Gateway.ADMIN + "/api/vendors/" + name, "application/json",
                vendor(Instant.parse("2025-06-01T00:00:00Z")), ops());
        assertThat(backwards.statusCode()).isEqualTo(422);
        assertThat(backwards.body()).contains("PHIG-1003", "vendors." + name, "expire after");
        HttpResponse<String> linked = gateway.delete(Gateway.ADMIN + "/api/vendors/" + name, ops());
        assertThat(linked.statusCode()).isEqualTo(409);
        assertThat(linked.body()).contains("PHIG-1009", "pool " + name);
        assertThat(gateway.put(Gateway.ADMIN + "/api/vendors/" + name, "application/json", vendor(Instant.now()), ehr()).statusCode())
                .isEqualTo(403);
        assertThat(gateway.get(Gateway.ADMIN + "/api/vendors/" + name, ops()).body()).contains("\"status\":\"active\"", SHA256);
    }
}
