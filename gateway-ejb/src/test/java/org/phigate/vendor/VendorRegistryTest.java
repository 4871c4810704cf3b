// SPDX-License-Identifier: Apache-2.0
package org.phigate.vendor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.phigate.config.ConfigProblem;
import org.phigate.config.ConfigurationCheck;
import org.phigate.config.ConfigurationParser;
import org.phigate.config.ConfigurationRejected;
import org.phigate.config.DesiredState;
import org.phigate.config.RegistryDocument;
import org.phigate.route.control.RouteMatch;
import org.phigate.route.control.RouteTable;
import org.phigate.vendor.control.VendorSpec;

/** Business associates in the configuration file: what is read, what is refused with its line, and how routes link to them. */
class VendorRegistryTest {

    private static final String VENDORS = """
            vendors:
              acme-labs:
                legalName: Acme Reference Laboratories, Inc.
                contact: privacy@acme-labs.example
                status: active
                effective: 2026-01-01
                expires: 2027-01-01T05:00:00Z
                phiScope: {routes: [labs], resourceTypes: [Observation]}
                agreement: {file: acme-baa-2026.pdf, sha256: 9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08}
            pools:
              acme: {backends: ["https://127.0.0.1:9444"], vendor: acme-labs}
              own: {backends: ["https://127.0.0.1:9445"]}
            routes:
              labs: {prefix: /labs/, pool: acme}
              billing: {prefix: /billing/, pool: own, vendor: acme-labs}
              own: {prefix: /own/, pool: own}
            """;

    private static ConfigurationRejected rejected(RouteTable current, String yaml) {
        return catchThrowableOfType(ConfigurationRejected.class, () -> ConfigurationCheck.merge(current, ConfigurationParser.parse("gw.yaml", yaml)));
    }

    @Test
    void readsAVendorWithItsAgreementAndLinksRoutesThroughTheirPoolOrThemselves() {
        DesiredState desired = ConfigurationParser.parse("gw.yaml", VENDORS);
        VendorSpec acme = desired.vendors().get(0);
        assertThat(acme.effective()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(acme.expires()).isEqualTo(Instant.parse("2027-01-01T05:00:00Z"));
        assertThat(acme.agreement()).hasValueSatisfying(a -> assertThat(a.sha256()).startsWith("9f86d0"));
        assertThat(acme.inForce(Instant.parse("2027-01-01T04:59:59.999Z"))).isTrue();
        assertThat(acme.inForce(Instant.parse("2027-01-01T05:00:00Z"))).isFalse();

        RouteTable table = ConfigurationCheck.merge(RouteTable.empty(), desired);
        assertThat(table.vendorOf("labs")).hasValue(acme);
        assertThat(table.vendorOf("billing")).hasValue(acme);
        assertThat(table.vendorOf("own")).isEmpty();
        assertThat(table.match("/labs/Observation", "GET")).isInstanceOfSatisfying(RouteMatch.Matched.class,
                m -> assertThat(m.vendor()).hasValue(acme));
        assertThat(RegistryDocument.vendor(acme)).containsEntry("status", "active").containsEntry("expires", "2027-01-01T05:00:00Z");
    }

    @Test
    void whatTheAdminApiAnswersReadsBackAsTheSameVendor() {
        VendorSpec acme = ConfigurationParser.parse("gw.yaml", VENDORS).vendors().get(0);
        String document = new Dump(DumpSettings.builder().build()).dumpToString(RegistryDocument.vendor(acme));

        assertThat(ConfigurationParser.parseItem(ConfigurationParser.Section.VENDORS, "acme-labs", document).vendors()).containsExactly(acme);
    }

    @Test
    void anIncompleteOrContradictoryAgreementIsRefusedAtItsLine() {
        ConfigurationRejected e = catchThrowableOfType(ConfigurationRejected.class, () -> ConfigurationParser.parse("gw.yaml", """
                vendors:
                  no-scope:
                    legalName: A
                    contact: b
                    status: signed
                    effective: 2026-13-01
                    expires: 2027-01-01
                  backwards:
                    legalName: A
                    contact: b
                    status: draft
                    effective: 2027-01-01
                    expires: 2026-01-01
                    phiScope: {resourceTypes: ["*"]}
                  unsigned:
                    legalName: A
                    contact: b
                    status: active
                    effective: 2026-01-01
                    expires: 2027-01-01
                    phiScope: {routes: [], resourceTypes: []}
                """));
        assertThat(e.problems()).extracting(ConfigProblem::field).contains("vendors.no-scope.status", "vendors.no-scope.effective",
                "vendors.no-scope.phiScope", "vendors.backwards", "vendors.unsigned.phiScope");
        assertThat(e.problems()).filteredOn(p -> p.field().equals("vendors.no-scope.effective")).singleElement()
                .satisfies(p -> assertThat(p.line()).isEqualTo(6));
        assertThat(e.problems()).filteredOn(p -> p.field().equals("vendors.backwards")).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("expire after"));
    }

    @Test
    void anActiveAgreementNeedsTheSignedCopyOnFile() {
        ConfigurationRejected e = catchThrowableOfType(ConfigurationRejected.class, () -> ConfigurationParser.parse("gw.yaml",
                VENDORS.replaceAll("(?m)^    agreement: .*\\n", "")));

        assertThat(e.problems()).singleElement().satisfies(p -> assertThat(p.message()).contains("signed agreement on file"));
    }

    @Test
    void routesAndPoolsMayNameOnlyKnownVendorsAndARouteNotAnotherVendorThanItsPool() {
        ConfigurationRejected unknown = rejected(RouteTable.empty(), VENDORS.replace("vendor: acme-labs}", "vendor: nobody}"));
        assertThat(unknown.problems()).extracting(ConfigProblem::code, ConfigProblem::field).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(ConfigProblem.UNKNOWN_VENDOR, "pools.acme.vendor"),
                org.assertj.core.groups.Tuple.tuple(ConfigProblem.UNKNOWN_VENDOR, "routes.billing.vendor"));

        RouteTable table = ConfigurationCheck.merge(RouteTable.empty(), ConfigurationParser.parse("gw.yaml", VENDORS));
        ConfigurationRejected other = rejected(table, """
                vendors:
                  other:
                    legalName: Other
                    contact: o
                    status: draft
                    effective: 2026-01-01
                    expires: 2027-01-01
                    phiScope: {resourceTypes: ["*"]}
                routes:
                  labs: {prefix: /labs/, pool: acme, vendor: other}
                """);
        assertThat(other.problems()).singleElement().satisfies(p -> {
            assertThat(p.code()).isEqualTo(ConfigProblem.CONFLICT);
            assertThat(p.line()).isEqualTo(10);
        });
    }

    @Test
    void aVendorCannotBeRemovedWhileARouteOrPoolIsLinkedToIt() {
        RouteTable table = ConfigurationCheck.merge(RouteTable.empty(), ConfigurationParser.parse("gw.yaml", VENDORS));

        ConfigurationRejected e = catchThrowableOfType(ConfigurationRejected.class, () -> ConfigurationCheck.withoutVendor(table, "acme-labs"));
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.code()).isEqualTo(ConfigProblem.IN_USE);
            assertThat(p.message()).contains("pool acme", "route billing", "status: terminated");
        });
        RouteTable unlinked = ConfigurationCheck.withoutRoute(ConfigurationCheck.withoutRoute(table, "labs"), "billing");
        RouteTable withoutPool = ConfigurationCheck.withoutPool(unlinked, "acme");
        assertThat(ConfigurationCheck.withoutVendor(withoutPool, "acme-labs").vendors()).isEmpty();
        assertThat(Optional.ofNullable(withoutPool.vendors().get("acme-labs"))).isPresent();
    }
}
