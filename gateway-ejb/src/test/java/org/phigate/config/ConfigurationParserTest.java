// SPDX-License-Identifier: Apache-2.0
package org.phigate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.phigate.route.control.BackendSpec;
import org.phigate.route.control.PoolPolicy;
import org.phigate.route.control.PoolSpec;
import org.phigate.waf.control.WafPolicy;

class ConfigurationParserTest {

    private static final String GOOD = """
            pools:
              fhir-demo:
                backends:
                  - https://127.0.0.1:9444
                  - https://127.0.0.1:9445
            routes:
              fhir:
                prefix: /fhir/
                pool: fhir-demo
                backendPath: /r4/
                methods: [GET, post]
                connectTimeout: 500ms
                requestTimeout: 10s
              public-docs:
                prefix: /docs
                pool: fhir-demo
                phi: false
            """;

    private static ConfigurationRejected rejected(String yaml) {
        return catchThrowableOfType(ConfigurationRejected.class, () -> ConfigurationParser.parse("gw.yaml", yaml));
    }

    @Test
    void readsPoolsAndRoutesWithDefaults() {
        DesiredState state = ConfigurationParser.parse("gw.yaml", GOOD);

        assertThat(state.pools()).singleElement().satisfies(p -> {
            assertThat(p.backends()).extracting(BackendSpec::uri).containsExactly(URI.create("https://127.0.0.1:9444"), URI.create("https://127.0.0.1:9445"));
            assertThat(p.backends()).allMatch(BackendSpec::hasDefaults);
            assertThat(p.policy()).isEqualTo(PoolPolicy.DEFAULT);
        });
        assertThat(state.routes()).hasSize(2);
        var fhir = state.routes().get(0);
        assertThat(fhir.methods()).containsExactlyInAnyOrder("GET", "POST");
        assertThat(fhir.connectTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(fhir.backendPath()).isEqualTo("/r4/");
        var docs = state.routes().get(1);
        assertThat(docs.carriesPhi()).isFalse();
        assertThat(docs.prefix()).isEqualTo("/docs/");
        assertThat(docs.backendPath()).isEqualTo("/docs/");
        assertThat(docs.requestTimeout()).isEqualTo(ConfigurationParser.DEFAULT_REQUEST_TIMEOUT);
        assertThat(ConfigurationParser.parse("gw.yaml", GOOD.replace("    phi: false\n", "")).routes().get(1).carriesPhi())
                .as("a route carries PHI unless it says otherwise").isTrue();
    }

    @Test
    void aTypoNamesFileLineAndField() {
        ConfigurationRejected e = rejected(GOOD.replace("requestTimeout: 10s", "requestTimout: 10s"));

        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.code()).isEqualTo("PHIG-1003");
            assertThat(p.file()).isEqualTo("gw.yaml");
            assertThat(p.line()).isEqualTo(13);
            assertThat(p.field()).isEqualTo("routes.fhir.requestTimout");
        });
    }

    @Test
    void aBadValueNamesItsOwnLine() {
        ConfigurationRejected e = rejected(GOOD.replace("connectTimeout: 500ms", "connectTimeout: soon"));

        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(12);
            assertThat(p.field()).isEqualTo("routes.fhir.connectTimeout");
            assertThat(p.message()).contains("'soon'");
        });
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        ConfigurationRejected e = rejected(GOOD.replace("methods: [GET, post]", "methods: [GET, BREW]")
                .replace("https://127.0.0.1:9445", "ftp://127.0.0.1:9445"));

        assertThat(e.problems()).extracting(ConfigProblem::field)
                .containsExactlyInAnyOrder("pools.fhir-demo.backends", "routes.fhir.methods");
        assertThat(e.getMessage()).contains("gw.yaml:5", "gw.yaml:11");
    }

    @Test
    void brokenYamlIsASyntaxProblemWithItsLine() {
        ConfigurationRejected e = rejected("routes:\n  fhir:\n    prefix: [unclosed\n");

        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.code()).isEqualTo("PHIG-1002");
            assertThat(p.line()).isGreaterThanOrEqualTo(3);
        });
    }

    @Test
    void missingRequiredFieldsAndBadNamesAreRefused() {
        ConfigurationRejected e = rejected("routes:\n  Bad_Name:\n    prefix: /x/\n  ok:\n    prefix: /y/\n");

        assertThat(e.problems()).extracting(ConfigProblem::field)
                .containsExactlyInAnyOrder("routes.Bad_Name", "routes.ok.pool");
    }

    @Test
    void anUnknownTopLevelKeyIsRefusedAndNotReadAsRoutes() {
        ConfigurationRejected e = rejected("pools2:\n  ignored: 1\n");

        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("pools2");
            assertThat(p.line()).isEqualTo(1);
        });
    }

    @Test
    void duplicateKeysAreRefused() {
        ConfigurationRejected e = rejected("routes:\n  a:\n    prefix: /a/\n    pool: p\n    pool: q\n");

        assertThat(e.problems()).extracting(ConfigProblem::message).contains("appears twice");
    }

    @Test
    void readsAnAccessPolicy() {
        DesiredState state = ConfigurationParser.parse("gw.yaml", GOOD.replace("    requestTimeout: 10s\n",
                "    requestTimeout: 10s\n    policy:\n      roles: [clinician]\n      clients: [phigate-ehr]\n      sources: [127.0.0.0/8, '::1']\n"));

        var policy = state.routes().get(0).policy().orElseThrow();
        assertThat(policy.roles()).containsExactly("clinician");
        assertThat(policy.clients()).containsExactly("phigate-ehr");
        assertThat(policy.sources()).extracting(Object::toString).containsExactly("127.0.0.0/8", "::1");
        assertThat(state.routes().get(1).policy()).as("no policy: nobody may call").isEmpty();
    }

    @Test
    void aPolicyThatNamesNobodyOrABadNetworkIsRefused() {
        ConfigurationRejected e = rejected(GOOD.replace("    requestTimeout: 10s\n",
                "    requestTimeout: 10s\n    policy:\n      sources: [example.org]\n"));

        assertThat(e.problems()).extracting(ConfigProblem::field)
                .containsExactlyInAnyOrder("routes.fhir.policy", "routes.fhir.policy.sources");
    }

    @Test
    void aRouteMayKeepItsOwnQueryParametersInTheAuditButNeverOnesThatIdentifyAPatient() {
        DesiredState state = ConfigurationParser.parse("gw.yaml", GOOD.replace("    requestTimeout: 10s\n",
                "    requestTimeout: 10s\n    auditParameters: [code, status]\n"));
        assertThat(state.routes().get(0).auditParameters()).containsExactlyInAnyOrder("code", "status");
        assertThat(state.routes().get(1).auditParameters()).isEmpty();

        ConfigurationRejected e = rejected(GOOD.replace("    requestTimeout: 10s\n",
                "    requestTimeout: 10s\n    auditParameters:\n      - code\n      - birthdate\n"));
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("routes.fhir.auditParameters");
            assertThat(p.message()).contains("'birthdate' can identify a patient");
            assertThat(p.line()).isEqualTo(GOOD.substring(0, GOOD.indexOf("    requestTimeout: 10s\n")).split("\n").length + 4);
        });
    }

    @Test
    void aPoolTakesWeightsLimitsDrainingAHealthCheckEjectionSlowStartAndARetryBudget() {
        DesiredState state = ConfigurationParser.parse("gw.yaml", """
                pools:
                  ehr:
                    backends:
                      - https://10.0.0.1:9444
                      - {url: "https://10.0.0.2:9444", weight: 3, maxConcurrent: 50, draining: true}
                    balancing: least-outstanding
                    maxConcurrent: 200
                    healthCheck: {path: /r4/metadata, interval: 2s, timeout: 500ms, healthyThreshold: 1, unhealthyThreshold: 2}
                    ejection: {consecutiveFailures: 3, baseTime: 5s, maxTime: 1m}
                    slowStart: 0s
                    retryBudgetPercent: 10
                """);

        PoolSpec pool = state.pools().get(0);
        assertThat(pool.backends()).containsExactly(BackendSpec.of(URI.create("https://10.0.0.1:9444")),
                new BackendSpec(URI.create("https://10.0.0.2:9444"), 3, 50, true));
        assertThat(pool.policy()).isEqualTo(new PoolPolicy(PoolPolicy.Balancing.LEAST_OUTSTANDING, 200,
                java.util.Optional.of(new PoolPolicy.HealthCheck("/r4/metadata", Duration.ofSeconds(2), Duration.ofMillis(500), 1, 2)),
                new PoolPolicy.Ejection(3, Duration.ofSeconds(5), Duration.ofMinutes(1)), Duration.ZERO, 10));
    }

    @Test
    void badPoolSettingsAreNamedWithTheirField() {
        ConfigurationRejected e = rejected("""
                pools:
                  ehr:
                    backends:
                      - {url: "https://10.0.0.1:9444", weight: 0, color: red}
                      - https://10.0.0.1:9444
                    balancing: random
                    healthCheck: {path: /health, interval: 1s, timeout: 2s}
                """);

        assertThat(e.problems()).extracting(ConfigProblem::field).containsExactlyInAnyOrder(
                "pools.ehr.backends.weight", "pools.ehr.backends.color", "pools.ehr.balancing", "pools.ehr.healthCheck");
    }

    @Test
    void aRouteTakesItsWafModeProfileBodyLimitAndExclusions() {
        DesiredState state = ConfigurationParser.parse("gw.yaml", """
                pools: {ehr: {backends: [https://10.0.0.1:9444]}}
                routes:
                  plain: {prefix: /a/, pool: ehr}
                  bulk:
                    prefix: /bulk/
                    pool: ehr
                    waf:
                      mode: detect
                      profile: generic
                      bodyLimit: 8MiB
                      oversizedBody: pass
                      exclusions:
                        - {rule: PHIG-WAF-3002, target: "json:$.entry[*].resource.text.div"}
                        - {rule: PHIG-WAF-2008}
                """);

        assertThat(state.routes().stream().filter(r -> r.name().equals("plain")).findFirst().orElseThrow().waf()).isEqualTo(WafPolicy.DEFAULT);
        assertThat(state.routes().stream().filter(r -> r.name().equals("bulk")).findFirst().orElseThrow().waf()).isEqualTo(
                new WafPolicy(WafPolicy.Mode.DETECT, WafPolicy.Profile.GENERIC, 8L << 20, true, List.of(
                        new WafPolicy.Exclusion("PHIG-WAF-3002", "json:$.entry[*].resource.text.div"), new WafPolicy.Exclusion("PHIG-WAF-2008", ""))));
    }

    @Test
    void badWafSettingsAreNamedWithTheirField() {
        ConfigurationRejected e = rejected("""
                pools: {ehr: {backends: [https://10.0.0.1:9444]}}
                routes:
                  r:
                    prefix: /r/
                    pool: ehr
                    waf:
                      mode: audit
                      bodyLimit: 64MiB
                      oversizedBody: ignore
                      exclusions: [{rule: PHIG-WAF-9999}, {rule: PHIG-WAF-2001, target: "body:everything"}]
                """);

        assertThat(e.problems()).extracting(ConfigProblem::field).containsExactlyInAnyOrder("routes.r.waf.mode", "routes.r.waf.bodyLimit",
                "routes.r.waf.oversizedBody", "routes.r.waf.exclusions.rule", "routes.r.waf.exclusions.target");
        assertThat(e.problems()).extracting(ConfigProblem::message).anySatisfy(m -> assertThat(m).contains("over 32MiB"));
    }

    @Test
    void anEmptyFileIsAnEmptyDesiredState() {
        DesiredState state = ConfigurationParser.parse("empty.yaml", "# nothing yet\n");

        assertThat(state.routes()).isEmpty();
        assertThat(state.pools()).isEmpty();
    }

    @Test
    void identitiesTakeFingerprintsAsOpensslPrintsThemOrAsPlainHex() {
        String yaml = """
                identities:
                  lab-feed: {fingerprint: "%s", description: Laboratory results feed}
                  billing: {fingerprint: %s, enabled: false}
                """.formatted("0A:".repeat(31) + "0A", "0a".repeat(32));

        DesiredState state = ConfigurationParser.parse("gw.yaml", yaml);

        assertThat(state.identities()).extracting(i -> i.name() + " " + i.fingerprint() + " " + i.enabled())
                .containsExactly("lab-feed " + "0a".repeat(32) + " true", "billing " + "0a".repeat(32) + " false");
    }

    @Test
    void aBadFingerprintOrAnUnknownIdentityKeyIsRefusedWithItsLine() {
        ConfigurationRejected e = rejected("identities:\n  lab-feed:\n    fingerprint: 12:34\n    owner: lab\n");

        assertThat(e.problems()).extracting(ConfigProblem::field, ConfigProblem::line).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("identities.lab-feed.owner", 4),
                org.assertj.core.groups.Tuple.tuple("identities.lab-feed.fingerprint", 3));
    }

    @Test
    void oneItemAndOnePolicyAreReadAsTheAdminApiSendsThem() {
        DesiredState route = ConfigurationParser.parseItem(ConfigurationParser.Section.ROUTES, "labs",
                "{\"prefix\": \"/labs/\", \"pool\": \"ehr\", \"policy\": {\"identities\": [\"lab-feed\"]}}");
        assertThat(route.routes()).singleElement().satisfies(r -> assertThat(r.policy().orElseThrow().identities()).containsExactly("lab-feed"));

        ConfigurationRejected e = catchThrowableOfType(ConfigurationRejected.class,
                () -> ConfigurationParser.parsePolicy("labs", "{\"roles\": []}"));
        assertThat(e.problems()).singleElement().satisfies(p -> assertThat(p.field()).isEqualTo("routes.labs.policy"));
    }
}
