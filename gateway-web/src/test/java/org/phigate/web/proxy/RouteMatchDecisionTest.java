// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.phigate.config.ConfigurationCheck;
import org.phigate.config.ConfigurationParser;
import org.phigate.route.control.RouteTable;
import org.phigate.web.proxy.RouteMatchHandler.Decision;

class RouteMatchDecisionTest {

    private static final RouteTable TABLE = ConfigurationCheck.merge(RouteTable.empty(), ConfigurationParser.parse("t.yaml", """
            pools:
              ehr: {backends: [https://127.0.0.1:9444]}
            routes:
              fhir: {prefix: /fhir/, pool: ehr, backendPath: /r4/}
              read: {prefix: /read/, pool: ehr, methods: [GET]}
            """));

    @Test
    void forwardsTheRawRemainderBelowTheBackendPath() {
        Decision decision = RouteMatchHandler.decide(TABLE, "/fhir/Patient/a b", "/fhir/Patient/a%20b", "", "GET");

        assertThat(decision).isInstanceOfSatisfying(Decision.Forward.class,
                f -> assertThat(f.backendTarget()).isEqualTo("/r4/Patient/a%20b"));
    }

    @Test
    void theBarePrefixGoesToTheBackendPath() {
        Decision decision = RouteMatchHandler.decide(TABLE, "/fhir", "/fhir", "", "GET");

        assertThat(decision).isInstanceOfSatisfying(Decision.Forward.class, f -> assertThat(f.backendTarget()).isEqualTo("/r4/"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/fhir/../admin", "/fhir/./Patient", "/fhir//Patient"})
    void nonCanonicalPathsAreRefused(String path) {
        assertThat(RouteMatchHandler.decide(TABLE, path, path, "", "GET"))
                .isEqualTo(new Decision.Refuse(Problem.BAD_PATH, RequestTarget.NOT_CANONICAL, null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/fhir/a%2Fb", "/fhir/a%5cb", "/fhir/a%00", "/fhir/%2E%2E/x", "/fhir/a;b=c", "/fhir/a\\b"})
    void rawPathsABackendCouldReadDifferentlyAreRefused(String raw) {
        assertThat(RouteMatchHandler.decide(TABLE, "/fhir/a", raw, "", "GET"))
                .isEqualTo(new Decision.Refuse(Problem.BAD_PATH, RequestTarget.NOT_CANONICAL, null));
    }

    /** WildFly hands the gateway a canonical decoded path: the raw one must be refused on its own. */
    @ParameterizedTest
    @ValueSource(strings = {"/fhir/../fhir/Patient", "/fhir/Patient/../../admin", "/fhir/./Patient", "/fhir//Patient", "/fhir/Patient/.."})
    void dotAndEmptySegmentsOfTheRawPathAreRefusedWhenTheDecodedPathIsCanonical(String raw) {
        assertThat(RouteMatchHandler.decide(TABLE, "/fhir/Patient", raw, "", "GET"))
                .isEqualTo(new Decision.Refuse(Problem.BAD_PATH, RequestTarget.NOT_CANONICAL, null));
    }

    @Test
    void aFinalSlashIsNotAnEmptySegment() {
        assertThat(RouteMatchHandler.decide(TABLE, "/fhir/Patient/", "/fhir/Patient/", "", "GET")).isInstanceOf(Decision.Forward.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/fhir/Patient/p-1003 HTTP/1.1", "/fhir/Patient/\u00e9", "/fhir/Patient/a\tb", "/fhir/Patient/a%zz",
            "/fhir/Patient/a%2", "/fhir/Patient/<x>", "/fhir/Patient/a\"b", "/fhir/Patient/a|b", "/fhir/Patient/{x}"})
    void bytesRfc3986DoesNotAllowInThePathAreRefused(String raw) {
        assertThat(RouteMatchHandler.decide(TABLE, "/fhir/Patient", raw, "", "GET"))
                .isEqualTo(new Decision.Refuse(Problem.BAD_PATH, RequestTarget.BAD_CHARACTER, null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"name=a b", "name=\u00e9", "name=%G0", "name=a|b", "name=[x]", "x=\"y\""})
    void bytesRfc3986DoesNotAllowInTheQueryAreRefused(String query) {
        assertThat(RouteMatchHandler.decide(TABLE, "/fhir/Patient", "/fhir/Patient", query, "GET"))
                .isEqualTo(new Decision.Refuse(Problem.BAD_PATH, RequestTarget.BAD_CHARACTER, null));
    }

    @Test
    void everythingRfc3986AllowsInAQueryIsForwarded() {
        assertThat(RouteMatchHandler.decide(TABLE, "/fhir/Patient", "/fhir/Patient",
                "name=O'Brien&birthdate=ge1970-01-01&_has:Observation:patient:code=1234-5&x=a/b?c&y=%C3%A9+%20!$()*,;=@~", "GET"))
                .isInstanceOf(Decision.Forward.class);
    }

    @Test
    void anEncodedPrefixIsRefused() {
        assertThat(RouteMatchHandler.decide(TABLE, "/fhir/Patient", "/%66hir/Patient", "", "GET"))
                .isEqualTo(new Decision.Refuse(Problem.BAD_PATH, RequestTarget.NOT_CANONICAL, null));
    }

    @Test
    void noRouteAndWrongMethodAreRefusedWithTheirProblems() {
        assertThat(RouteMatchHandler.decide(TABLE, "/other", "/other", "", "GET")).isEqualTo(new Decision.Refuse(Problem.NO_ROUTE, null, null));
        assertThat(RouteMatchHandler.decide(TABLE, "/read/x", "/read/x", "", "POST"))
                .isEqualTo(new Decision.Refuse(Problem.METHOD_NOT_ALLOWED, "PHIG-WAF-1006", "GET"));
    }
}
