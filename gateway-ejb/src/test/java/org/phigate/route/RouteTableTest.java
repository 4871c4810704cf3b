// SPDX-License-Identifier: Apache-2.0
package org.phigate.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.phigate.route.control.PoolSpec;
import org.phigate.route.control.RouteMatch;
import org.phigate.route.control.RouteSpec;
import org.phigate.route.control.RouteTable;

class RouteTableTest {

    private static final PoolSpec POOL = PoolSpec.of("ehr", List.of(URI.create("https://127.0.0.1:9444")));

    private static RouteSpec route(String name, String prefix, Set<String> methods) {
        return new RouteSpec(name, prefix, methods, "ehr", "/r4/", true, Duration.ofSeconds(1), Duration.ofSeconds(5));
    }

    private static RouteTable table(RouteSpec... routes) {
        return new RouteTable(1, List.of(routes), List.of(POOL));
    }

    @Test
    void longestPrefixWins() {
        RouteTable table = table(route("all", "/fhir/", Set.of()), route("patients", "/fhir/Patient/", Set.of()));

        assertThat(table.match("/fhir/Patient/123", "GET"))
                .isEqualTo(new RouteMatch.Matched(table.routes().get(0), "123"));
        assertThat(((RouteMatch.Matched) table.match("/fhir/Observation", "GET")).route().name()).isEqualTo("all");
    }

    @Test
    void methodDecidesAmongRoutesOfTheSamePrefix() {
        RouteTable table = table(route("read", "/fhir/", Set.of("GET", "HEAD")), route("write", "/fhir/", Set.of("POST")));

        assertThat(((RouteMatch.Matched) table.match("/fhir/Patient", "POST")).route().name()).isEqualTo("write");
        assertThat(((RouteMatch.Matched) table.match("/fhir/Patient", "GET")).route().name()).isEqualTo("read");
    }

    @Test
    void aRefusedMethodDoesNotFallBackToAShorterPrefix() {
        RouteTable table = table(route("root", "/", Set.of()), route("read", "/fhir/", Set.of("GET")));

        RouteMatch match = table.match("/fhir/Patient", "DELETE");

        assertThat(match).isInstanceOf(RouteMatch.MethodNotAllowed.class);
        assertThat(((RouteMatch.MethodNotAllowed) match).allowed()).containsExactly("GET");
    }

    @Test
    void unknownPathIsNoRoute() {
        assertThat(table(route("fhir", "/fhir/", Set.of())).match("/admin", "GET")).isInstanceOf(RouteMatch.NoRoute.class);
        assertThat(table(route("fhir", "/fhir/", Set.of())).match("/fhirx/Patient", "GET")).isInstanceOf(RouteMatch.NoRoute.class);
        assertThat(RouteTable.empty().match("/fhir/Patient", "GET")).isInstanceOf(RouteMatch.NoRoute.class);
    }

    @Test
    void prefixWithoutTrailingSlashMatchesTheDirectoryItself() {
        RouteMatch match = table(route("fhir", "/fhir", Set.of())).match("/fhir", "GET");

        assertThat(match).isInstanceOf(RouteMatch.Matched.class);
        assertThat(((RouteMatch.Matched) match).backendPath()).isEqualTo("/r4/");
    }

    @Test
    void backendPathReplacesThePrefix() {
        RouteMatch match = table(route("fhir", "/fhir/", Set.of())).match("/fhir/Patient/7/_history", "GET");

        assertThat(((RouteMatch.Matched) match).backendPath()).isEqualTo("/r4/Patient/7/_history");
    }

    @Test
    void dotSegmentsAndQueriesAreNotPrefixes() {
        assertThatThrownBy(() -> route("bad", "/fhir/../admin/", Set.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> route("bad", "fhir/", Set.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> route("bad", "/fhir?x=1", Set.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRouteToAnUnknownPoolIsRefused() {
        RouteSpec orphan = new RouteSpec("x", "/x/", Set.of(), "nope", "/", true, Duration.ofSeconds(1), Duration.ofSeconds(1));

        assertThatThrownBy(() -> new RouteTable(1, List.of(orphan), List.of(POOL))).hasMessageContaining("unknown pool nope");
    }
}
