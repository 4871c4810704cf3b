// SPDX-License-Identifier: Apache-2.0
package org.phigate.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.phigate.demo.FhirDemoServer;

/**
 * The WAF on the real server: an attack in a search is refused with the rule and a reference id and recorded with
 * the rule; a FHIR Bundle is inspected and reaches the backend byte for byte; a route set to detect through the
 * admin API forwards and records; a body over the route's limit is refused with 413.
 */
class WafIT extends AgainstTheGateway {

    private static final String BUNDLE = """
            {"resourceType":"Bundle","type":"transaction","entry":[
             {"resource":{"resourceType":"Observation","status":"final",
               "code":{"coding":[{"system":"http://loinc.org","code":"15074-8","display":"Glucose [Moles/volume] in Blood"}]},
               "valueQuantity":{"value":6.3,"unit":"mmol/l","system":"http://unitsofmeasure.org","code":"mmol/L"},
               "note":[{"text":"Repeat if > 7 or < 3 -- call ward 4B; pt O'Brien prefers 'Select Specialty Hospital'."}]},
              "request":{"method":"POST","url":"Observation"}}]}
            """;

    @BeforeAll
    static void routes() throws Exception {
        FhirDemoServer backend = backend("waf-it");
        assertThat(gateway.put(Gateway.ADMIN + "/api/configuration", "application/json", """
                {"pools": {"waf-pool": {"backends": ["https://127.0.0.1:%d"]}},
                 "routes": {"it-waf": {"prefix": "/it-waf/", "pool": "waf-pool", "backendPath": "/r4/", "policy": {"roles": ["clinician"]},
                                       "waf": {"bodyLimit": "2KiB"}},
                            "it-waf-detect": {"prefix": "/it-waf-detect/", "pool": "waf-pool", "backendPath": "/r4/",
                                              "policy": {"roles": ["clinician"]}, "waf": {"mode": "detect"}}}}
                """.formatted(backend.port()), ops()).statusCode()).isEqualTo(200);
    }


    @Test
    void anAttackIsRefusedWithItsRuleAndTheRecordNamesTheRule() throws Exception {
        HttpResponse<String> r = gateway.get(Gateway.DATA + "/it-waf/Patient?name="
                + URLEncoder.encode("x' UNION SELECT ssn FROM patients--", StandardCharsets.UTF_8), ehr());

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("\"code\":\"PHIG-4038\"", "\"reason\":\"PHIG-WAF-2003\"").doesNotContain("UNION", "ssn");
        assertThat(recordOf(r)).contains("\"decision\":\"REFUSE\"", "\"reason\":\"PHIG-WAF-2003\"").doesNotContain("ssn");
    }

    @Test
    void aBundleIsInspectedAndReachesTheBackendByteForByte() throws Exception {
        byte[] bytes = BUNDLE.getBytes(StandardCharsets.UTF_8);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));

        HttpResponse<String> r = gateway.post(Gateway.DATA + "/it-waf/_debug/echo", "application/fhir+json", BUNDLE, ehr());

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"bodyLength\":" + bytes.length, "\"bodySha256\":\"" + sha + "\"");
    }

    @Test
    void aDetectRouteForwardsAndRecordsTheRule() throws Exception {
        HttpResponse<String> r = gateway.get(Gateway.DATA + "/it-waf-detect/Patient?name="
                + URLEncoder.encode("<script>alert(1)</script>", StandardCharsets.UTF_8), ehr());

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(recordOf(r)).contains("\"decision\":\"FORWARD\"", "\"reason\":\"PHIG-WAF-3001\"");
    }

    @Test
    void aBodyOverTheRoutesLimitIsRefusedWith413() throws Exception {
        HttpResponse<String> r = gateway.post(Gateway.DATA + "/it-waf/_debug/echo", "application/fhir+json",
                "{\"resourceType\":\"Basic\",\"text\":\"" + "a".repeat(3_000) + "\"}", ehr());

        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.body()).contains("\"code\":\"PHIG-4130\"", "\"reason\":\"PHIG-WAF-1014\"");
    }
}
