// SPDX-License-Identifier: Apache-2.0
package org.phigate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.phigate.demo.FhirDemoServer;

/**
 * The audit trail reaches a real SIEM receiver: rsyslog on loopback, over TLS with the private CA, parsing each
 * message as RFC 5424. The build starts the receiver (src/test/syslog); without rsyslog installed this test is
 * skipped. Stopping the receiver loses nothing: the forwarder catches up from its cursor when it returns.
 */
class SyslogForwardingIT extends AgainstTheGateway {

    private static final Path DIR = Path.of(System.getProperty("phigate.it.syslog.dir", "target/syslog"));
    private static final Path RECEIVED = DIR.resolve("received.log");

    @BeforeAll
    static void route() throws Exception {
        assumeTrue(Files.exists(DIR.resolve("rsyslogd.pid")),
                "no syslog receiver: install the Debian packages rsyslog and rsyslog-gnutls (.ci/run does)");
        FhirDemoServer backend = backend("syslog-it");
        assertThat(gateway.put(Gateway.ADMIN + "/api/configuration", "application/json", """
                {"pools": {"syslog-pool": {"backends": ["https://127.0.0.1:%d"]}},
                 "routes": {"it-syslog": {"prefix": "/it-syslog/", "pool": "syslog-pool", "backendPath": "/r4/", "policy": {"roles": ["clinician"]}}}}
                """.formatted(backend.port()), ops()).statusCode()).isEqualTo(200);
    }

    private static List<String> linesOf(String requestId, int count) throws Exception {
        Instant deadline = Instant.now().plusSeconds(30);
        List<String> lines = new ArrayList<>();
        while (Instant.now().isBefore(deadline)) {
            lines = Files.exists(RECEIVED) ? Files.readAllLines(RECEIVED).stream().filter(l -> l.contains("requestId=\"" + requestId + "\"")).toList()
                    : List.of();
            if (lines.size() >= count) {
                break;
            }
            Thread.sleep(100);
        }
        return lines;
    }

    private static void receiver(String command) throws Exception {
        List<String> args = new ArrayList<>(List.of("bash", System.getProperty("phigate.it.syslog.script"), command, DIR.toString()));
        if (command.equals("start")) {
            args.add(System.getProperty("phigate.it.syslog.port"));
            args.add(System.getProperty("phigate.test.pki"));
        }
        Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
    }

    @Test
    void eachEntryArrivesAsAnRfc5424MessageWithItsChainPositionAndNoPhi() throws Exception {
        HttpResponse<String> read = gateway.get(Gateway.DATA + "/it-syslog/Patient/p-1003?family=Fictional", ehr());
        assertThat(read.statusCode()).isEqualTo(200);
        String requestId = read.headers().firstValue("X-Request-Id").orElseThrow();

        List<String> lines = linesOf(requestId, 2);

        assertThat(lines).as("the access and the outcome entry, as rsyslog parsed them").hasSize(2);
        assertThat(lines.get(0)).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}(Z|\\+00:00) \\S+ phigate - ACCESS \\[phigate@32473 node=\"[^\"]+\" seq=\"\\d+\" .*")
                .contains("decision=\"FORWARD\"", "\"path\":\"/it-syslog/Patient/*\"", "\"clientId\":\"phigate-ehr\"")
                .containsPattern("prevHash=\"[0-9a-f]{64}\" hash=\"[0-9a-f]{64}\"")
                .doesNotContain("p-1003", "Fictional");
        assertThat(lines.get(1)).contains(" phigate - OUTCOME [", "\"status\":200");
        assertThat(gateway.get(Gateway.ADMIN + "/api/health").body()).containsPattern("\"syslog\":\\{[^}]*\"connected\":true");
    }

    @Test
    void entriesMadeWhileTheReceiverIsDownArriveWhenItReturns() throws Exception {
        receiver("stop");
        List<String> ids = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                HttpResponse<String> refused = gateway.get(Gateway.DATA + "/it-syslog/Observation");
                assertThat(refused.statusCode()).as("the data plane does not wait for the SIEM").isEqualTo(401);
                ids.add(refused.headers().firstValue("X-Request-Id").orElseThrow());
            }
        } finally {
            receiver("start");
        }

        for (String id : ids) {
            assertThat(linesOf(id, 1)).as("entry of request %s", id).singleElement()
                    .satisfies(line -> assertThat(line).contains(" phigate - ACCESS [", "reason=\"PHIG-4011\""));
        }
    }
}
