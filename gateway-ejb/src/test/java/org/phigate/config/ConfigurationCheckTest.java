// SPDX-License-Identifier: Apache-2.0
package org.phigate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.phigate.route.control.PoolSpec;
import org.phigate.route.control.RouteSpec;
import org.phigate.route.control.RouteTable;

class ConfigurationCheckTest {

    private static final PoolSpec REGISTERED = PoolSpec.of("ehr", List.of(URI.create("https://127.0.0.1:9444")));
    private static final RouteTable REGISTRY = new RouteTable(3, List.of(
            new RouteSpec("ehr", "/ehr/", Set.of(), "ehr", "/", true, Duration.ofSeconds(1), Duration.ofSeconds(5))),
            List.of(REGISTERED));

    private static DesiredState parse(String yaml) {
        return ConfigurationParser.parse("gw.yaml", yaml);
    }

    @Test
    void aFileMayUseAPoolFromTheRegistryAndKeepsWhatItDoesNotName() {
        RouteTable next = ConfigurationCheck.merge(REGISTRY, parse("routes:\n  fhir:\n    prefix: /fhir/\n    pool: ehr\n"));

        assertThat(next.generation()).isEqualTo(4);
        assertThat(next.routes()).extracting(RouteSpec::name).containsExactlyInAnyOrder("ehr", "fhir");
    }

    @Test
    void aPhiRouteOverPlainHttpIsRefusedNamingTheRoute() {
        String yaml = """
                pools:
                  vendor:
                    backends: [http://127.0.0.1:9000]
                routes:
                  labs:
                    prefix: /labs/
                    pool: vendor
                """;

        ConfigurationRejected e = catchThrowableOfType(ConfigurationRejected.class, () -> ConfigurationCheck.merge(REGISTRY, parse(yaml)));

        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.code()).isEqualTo("PHIG-1004");
            assertThat(p.message()).contains("route labs");
            assertThat(p.line()).isEqualTo(6);
        });
        assertThat(ConfigurationCheck.merge(REGISTRY, parse(yaml + "    phi: false\n")).routes()).hasSize(2);
    }

    @Test
    void turningARegisteredPoolToPlainHttpIsRefusedForItsPhiRoutes() {
        ConfigurationRejected e = catchThrowableOfType(ConfigurationRejected.class,
                () -> ConfigurationCheck.merge(REGISTRY, parse("pools:\n  ehr:\n    backends: [http://127.0.0.1:80]\n")));

        assertThat(e.problems()).extracting(ConfigProblem::code).containsExactly("PHIG-1004");
    }

    @Test
    void unknownPoolAndClashingPrefixesAreRefused() {
        String yaml = """
                routes:
                  a:
                    prefix: /ehr/
                    pool: ehr
                    methods: [GET]
                  b:
                    prefix: /b/
                    pool: missing
                """;

        ConfigurationRejected e = catchThrowableOfType(ConfigurationRejected.class, () -> ConfigurationCheck.merge(REGISTRY, parse(yaml)));

        assertThat(e.problems()).extracting(ConfigProblem::code).containsExactlyInAnyOrder("PHIG-1005", "PHIG-1006");
    }

    private static final String LAB = "AB:".repeat(31) + "AB";
    private static final String IDENTITIES = """
            identities:
              lab-feed: {fingerprint: "%s", description: Laboratory results feed}
            routes:
              lab: {prefix: /lab/, pool: ehr, policy: {identities: [lab-feed]}}
            """.formatted(LAB);

    @Test
    void identitiesArePartOfTheTableAndAPolicyMayOnlyNameKnownOnes() {
        RouteTable next = ConfigurationCheck.merge(REGISTRY, parse(IDENTITIES));

        assertThat(next.identityWithFingerprint("ab".repeat(32))).hasValueSatisfying(i -> {
            assertThat(i.name()).isEqualTo("lab-feed");
            assertThat(i.enabled()).isTrue();
        });
        ConfigurationRejected e = catchThrowableOfType(ConfigurationRejected.class,
                () -> ConfigurationCheck.merge(REGISTRY, parse("routes:\n  lab: {prefix: /lab/, pool: ehr, policy: {identities: [ghost]}}\n")));
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.code()).isEqualTo("PHIG-1008");
            assertThat(p.field()).isEqualTo("routes.lab.policy.identities");
        });
    }

    @Test
    void twoIdentitiesMayNotShareACertificate() {
        ConfigurationRejected e = catchThrowableOfType(ConfigurationRejected.class, () -> ConfigurationCheck.merge(
                ConfigurationCheck.merge(REGISTRY, parse(IDENTITIES)), parse("identities:\n  copy: {fingerprint: \"" + "ab".repeat(32) + "\"}\n")));

        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.code()).isEqualTo("PHIG-1006");
            assertThat(p.field()).isEqualTo("identities.copy.fingerprint");
            assertThat(p.line()).isEqualTo(2);
        });
    }

    @Test
    void whatARouteStillNamesCannotBeRemoved() {
        RouteTable table = ConfigurationCheck.merge(REGISTRY, parse(IDENTITIES));

        assertThat(catchThrowableOfType(ConfigurationRejected.class, () -> ConfigurationCheck.withoutIdentity(table, "lab-feed")).problems())
                .singleElement().satisfies(p -> assertThat(p.code()).isEqualTo("PHIG-1009"));
        assertThat(catchThrowableOfType(ConfigurationRejected.class, () -> ConfigurationCheck.withoutPool(table, "ehr")).problems())
                .singleElement().satisfies(p -> assertThat(p.message()).contains("[ehr, lab]"));
        RouteTable withoutLab = ConfigurationCheck.withoutRoute(table, "lab");
        assertThat(ConfigurationCheck.withoutIdentity(withoutLab, "lab-feed").identities()).isEmpty();
        assertThat(withoutLab.generation()).isEqualTo(table.generation() + 1);
    }

    @Test
    void aPoolsTlsNamesCertificatesOfTheInventoryWithTheRightPurpose() {
        String yaml = """
                pools:
                  acme:
                    backends: [https://127.0.0.1:9444]
                    tls: {trust: [acme-ca], clientCertificate: to-acme}
                """;
        java.util.Map<String, org.phigate.certificate.control.CertificatePurpose> inventory = java.util.Map.of(
                "acme-ca", org.phigate.certificate.control.CertificatePurpose.TRUST, "to-acme", org.phigate.certificate.control.CertificatePurpose.CLIENT);

        RouteTable table = ConfigurationCheck.merge(RouteTable.empty(), ConfigurationParser.parse("gw.yaml", yaml), inventory);
        assertThat(table.pool("acme").tls().clientCertificate()).hasValue("to-acme");

        ConfigurationRejected swapped = org.assertj.core.api.Assertions.catchThrowableOfType(ConfigurationRejected.class, () -> ConfigurationCheck.merge(
                RouteTable.empty(), ConfigurationParser.parse("gw.yaml", yaml.replace("trust: [acme-ca]", "trust: [to-acme]")), inventory));
        assertThat(swapped.problems()).singleElement().satisfies(p -> {
            assertThat(p.code()).isEqualTo(ConfigProblem.UNKNOWN_CERTIFICATE);
            assertThat(p.field()).isEqualTo("pools.acme.tls.trust");
            assertThat(p.line()).isEqualTo(3);
        });
        ConfigurationRejected noTrust = org.assertj.core.api.Assertions.catchThrowableOfType(ConfigurationRejected.class,
                () -> ConfigurationParser.parse("gw.yaml", yaml.replace("trust: [acme-ca], ", "")));
        assertThat(noTrust.problems()).singleElement().satisfies(p -> assertThat(p.message()).contains("names the CAs it trusts"));
    }
}
