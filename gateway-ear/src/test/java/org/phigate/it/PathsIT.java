// SPDX-License-Identifier: Apache-2.0
package org.phigate.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.phigate.demo.FhirDemoServer;

/**
 * Request targets that a backend would read differently from the gateway, on the real server. WildFly
 * canonicalises the decoded path before the gateway sees it, so only a check of the raw target catches a
 * {@code ..} there: it must hold whatever the route's WAF mode, on a route with the WAF off or detecting. Over
 * HTTP/2, a {@code :path} may carry a space (which would end the backend's request line early) or a byte above
 * 0x7F; neither is forwarded.
 */
class PathsIT extends AgainstTheGateway {

    private static final Pattern REQUEST_ID = Pattern.compile("(?i)x-request-id: *([0-9a-f]{32})");
    private static FhirDemoServer backend;

    @BeforeAll
    static void routes() throws Exception {
        backend = backend("paths-it");
        assertThat(gateway.put(Gateway.ADMIN + "/api/configuration", "application/json", """
                {"pools": {"paths-pool": {"backends": ["https://127.0.0.1:%d"]}},
                 "routes": {"it-paths-off": {"prefix": "/it-paths-off/", "pool": "paths-pool", "backendPath": "/r4/",
                                             "policy": {"roles": ["clinician"]}, "waf": {"mode": "off"}},
                            "it-paths-detect": {"prefix": "/it-paths-detect/", "pool": "paths-pool", "backendPath": "/r4/",
                                                "policy": {"roles": ["clinician"]}, "waf": {"mode": "detect"}}}}
                """.formatted(backend.port()), ops()).statusCode()).isEqualTo(200);
    }

    private static String recordOf(String requestId) throws Exception {
        Instant deadline = Instant.now().plusSeconds(10);
        String body = gateway.get(Gateway.ADMIN + "/api/audit/records?requestId=" + requestId, ops()).body();
        while (!body.contains("\"complete\":true") && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
            body = gateway.get(Gateway.ADMIN + "/api/audit/records?requestId=" + requestId, ops()).body();
        }
        return body;
    }

    @Test
    void dotAndEmptySegmentsOfTheRawPathAreRefusedWhateverTheWafMode() throws Exception {
        String token = ehr();
        long before = backend.requests();
        for (String prefix : List.of("/it-paths-off", "/it-paths-detect")) {
            for (String path : List.of(prefix + "/../" + prefix.substring(1) + "/Patient/p-1003", prefix + "/x/../../" + prefix.substring(1) + "/Patient/p-1003",
                    prefix + "/Patient/../Observation",
                    prefix + "/./Patient/p-1003", prefix + "//Patient/p-1003")) {
                String answer = gateway.raw("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:8443\r\nAuthorization: Bearer " + token + "\r\n\r\n");

                assertThat(answer).as(path).startsWith("HTTP/1.1 400").contains("\"code\":\"PHIG-4001\"", "\"reason\":\"PHIG-WAF-1015\"");
                Matcher id = REQUEST_ID.matcher(answer);
                assertThat(id.find()).isTrue();
                assertThat(recordOf(id.group(1))).contains("\"decision\":\"REFUSE\"", "\"reason\":\"PHIG-WAF-1015\"");
            }
        }
        assertThat(backend.requests()).as("nothing reached the backend").isEqualTo(before);
    }

    @Test
    void anHttp2PathWithASpaceIsRefusedAndAByteAbove0x7fIsNotForwarded() throws Exception {
        String token = ehr();
        long before = backend.requests();

        String space = gateway.http2("/it-paths-off/Patient/p-1003 HTTP/1.1", token);
        assertThat(space).startsWith("400 2").contains("\"code\":\"PHIG-4001\"", "\"reason\":\"PHIG-WAF-1018\"").doesNotContain("Casey");

        String nonAscii = gateway.http2("/it-paths-off/Patient/p-1003\u00e9", token);
        assertThat(nonAscii).doesNotStartWith("200").doesNotContain("Casey");
        assertThat(backend.requests()).as("nothing reached the backend").isEqualTo(before);

        assertThat(gateway.http2("/it-paths-off/Patient/p-1003", token)).as("the gateway serves the next request").startsWith("200 2");
    }
}
