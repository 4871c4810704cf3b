// SPDX-License-Identifier: Apache-2.0
package org.phigate.it;

import static org.assertj.core.api.Assertions.assertThat;

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
 * 0x7F; neither is forwarded. Requests over the documented limits, and TRACE, get the gateway's own answer (a PHIG
 * code, an audit record), not the container's; what only the container's parser can refuse is never forwarded.
 */
class MalformedRequestsIT extends AgainstTheGateway {

    /**
     * Every answer of the sample backend names it in this header: an answer without it came from the gateway or the
     * server. (Counting the backend's requests would not do: a pool another test left in the registry may health-check
     * the port this backend got.)
     */
    private static final String BACKEND_HEADER = "X-Backend-Instance";
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


    @Test
    void dotAndEmptySegmentsOfTheRawPathAreRefusedWhateverTheWafMode() throws Exception {
        String token = ehr();
        for (String prefix : List.of("/it-paths-off", "/it-paths-detect")) {
            for (String path : List.of(prefix + "/../" + prefix.substring(1) + "/Patient/p-1003", prefix + "/x/../../" + prefix.substring(1) + "/Patient/p-1003",
                    prefix + "/Patient/../Observation",
                    prefix + "/./Patient/p-1003", prefix + "//Patient/p-1003")) {
                String answer = gateway.raw("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:8443\r\nAuthorization: Bearer " + token + "\r\n\r\n");

                assertThat(answer).as(path).doesNotContainIgnoringCase(BACKEND_HEADER).startsWith("HTTP/1.1 400").contains("\"code\":\"PHIG-4001\"", "\"reason\":\"PHIG-WAF-1015\"");
                Matcher id = REQUEST_ID.matcher(answer);
                assertThat(id.find()).isTrue();
                assertThat(recordOf(id.group(1))).contains("\"decision\":\"REFUSE\"", "\"reason\":\"PHIG-WAF-1015\"");
            }
        }
    }

    @Test
    void anHttp2PathWithASpaceIsRefusedAndAByteAbove0x7fIsNotForwarded() throws Exception {
        String token = ehr();

        String space = gateway.http2("/it-paths-off/Patient/p-1003 HTTP/1.1", token);
        assertThat(space).doesNotContainIgnoringCase(BACKEND_HEADER).startsWith("400 2").contains("\"code\":\"PHIG-4001\"", "\"reason\":\"PHIG-WAF-1018\"").doesNotContain("Casey");

        String nonAscii = gateway.http2("/it-paths-off/Patient/p-1003\u00e9", token);
        assertThat(nonAscii).doesNotContainIgnoringCase(BACKEND_HEADER).doesNotStartWith("200").doesNotContain("Casey");

        assertThat(gateway.http2("/it-paths-off/Patient/p-1003", token)).as("the gateway serves the next request").startsWith("200 2");
    }

    private static String requestIdOf(String rawAnswer) {
        Matcher id = REQUEST_ID.matcher(rawAnswer);
        assertThat(id.find()).as("the answer has a request id: " + rawAnswer).isTrue();
        return id.group(1);
    }

    @Test
    void traceAndRequestsOverTheDocumentedLimitsGetAPhigCodeAndAnAuditRecord() throws Exception {
        String token = ehr();
        String head = "Host: 127.0.0.1:8443\r\nAuthorization: Bearer " + token + "\r\n";

        String trace = gateway.raw("TRACE /it-paths-off/Patient HTTP/1.1\r\n" + head + "\r\n");
        assertThat(trace).doesNotContainIgnoringCase(BACKEND_HEADER).startsWith("HTTP/1.1 405").contains("\"code\":\"PHIG-4050\"");
        assertThat(recordOf(requestIdOf(trace))).contains("\"decision\":\"REFUSE\"");

        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 120; i++) {
            many.append("X-Many-").append(i).append(": ").append(i).append("\r\n");
        }
        String headers = gateway.raw("GET /it-paths-off/Patient HTTP/1.1\r\n" + head + many + "\r\n");
        assertThat(headers).doesNotContainIgnoringCase(BACKEND_HEADER).startsWith("HTTP/1.1 431").contains("\"code\":\"PHIG-4310\"");
        assertThat(recordOf(requestIdOf(headers))).contains("\"decision\":\"REFUSE\"");

        String big = gateway.raw("GET /it-paths-off/Patient HTTP/1.1\r\n" + head + "X-Big: " + "a".repeat(17_000) + "\r\n\r\n");
        assertThat(big).doesNotContainIgnoringCase(BACKEND_HEADER).startsWith("HTTP/1.1 431").contains("\"code\":\"PHIG-4310\"");

        String query = String.join("&", java.util.stream.IntStream.range(0, 1050).mapToObj(i -> "p" + i + "=1").toList());
        String parameters = gateway.raw("GET /it-paths-off/Patient?" + query + " HTTP/1.1\r\n" + head + "\r\n");
        assertThat(parameters).doesNotContainIgnoringCase(BACKEND_HEADER).startsWith("HTTP/1.1 400").contains("\"code\":\"PHIG-4004\"");
    }

    /** Beyond the container's own limits, and for broken framing, only Undertow's parser answers: nothing is forwarded. */
    @Test
    void whatOnlyTheContainersParserRefusesIsNeverForwarded() throws Exception {
        String token = ehr();
        String head = "Host: 127.0.0.1:8443\r\nAuthorization: Bearer " + token + "\r\n";
        StringBuilder tooMany = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            tooMany.append("X-Many-").append(i).append(": ").append(i).append("\r\n");
        }
        for (String request : List.of(
                "GET /it-paths-off/Patient HTTP/1.1\r\n" + head + tooMany + "\r\n",
                "GET /it-paths-off/Patient HTTP/1.1\r\n" + head + "X-Huge: " + "a".repeat(40_000) + "\r\n\r\n",
                "GET /it-paths-off/Patient|x HTTP/1.1\r\n" + head + "\r\n",
                "GET /it-paths-off/Patient HTTP/9.9\r\n" + head + "\r\n",
                "POST /it-paths-off/Patient HTTP/1.1\r\n" + head + "Transfer-Encoding: chunked\r\n\r\nfffffffffffffffffff\r\nabc\r\n0\r\n\r\n")) {
            String answer = gateway.raw(request);
            assertThat(answer).as(request.substring(0, 40)).doesNotContainIgnoringCase(BACKEND_HEADER).satisfiesAnyOf(a -> assertThat(a).isEmpty(), a -> assertThat(a).startsWith("HTTP/1.1 4"));
        }
    }
}
