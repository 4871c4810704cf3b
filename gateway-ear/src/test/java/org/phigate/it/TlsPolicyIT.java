// SPDX-License-Identifier: Apache-2.0
package org.phigate.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The TLS policy of both listeners as an outside client sees it, probed with the openssl command line
 * (so that the client's own defaults cannot hide what the server accepts): the failures asserted are
 * alerts sent by the server, not the client declining to offer a protocol.
 */
@ExtendWith(ArquillianExtension.class)
class TlsPolicyIT {

    @Deployment(testable = false)
    static EnterpriseArchive ear() {
        return PhigateEar.built();
    }

    private static String sClient(int port, String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                "-CAfile", System.getProperty("phigate.test.pki") + "/ca.pem", "-verify_return_error"));
        command.addAll(List.of(options));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("openssl finished").isTrue();
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(ints = {8443, 9443})
    void tls13IsAcceptedWithAVerifiedCertificate(int port) throws Exception {
        String out = sClient(port, "-tls1_3");

        assertThat(out).contains("TLSv1.3").contains("Verify return code: 0 (ok)");
    }

    @ParameterizedTest
    @ValueSource(ints = {8443, 9443})
    void tls12WithAnAeadSuiteIsAccepted(int port) throws Exception {
        String out = sClient(port, "-tls1_2", "-cipher", "ECDHE-ECDSA-AES256-GCM-SHA384");

        assertThat(out).contains("Cipher is ECDHE-ECDSA-AES256-GCM-SHA384");
    }

    @ParameterizedTest
    @ValueSource(ints = {8443, 9443})
    void tls11IsRefusedByTheServer(int port) throws Exception {
        String out = sClient(port, "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0");

        assertThat(out).contains("alert protocol version").doesNotContain("Cipher is ECDHE");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ECDHE-ECDSA-AES128-SHA256", "ECDHE-ECDSA-AES256-SHA", "AES128-GCM-SHA256"})
    void tls12SuitesWithoutAeadOrForwardSecrecyAreRefusedByTheServer(String suite) throws Exception {
        String out = sClient(8443, "-tls1_2", "-cipher", suite + "@SECLEVEL=0");

        assertThat(out).contains("alert handshake failure").doesNotContain("Cipher is " + suite);
    }

    /** openssl s_client renegotiates when it reads "R" on its input; the server must refuse with an alert. */
    @ParameterizedTest
    @ValueSource(ints = {8443, 9443})
    void clientInitiatedRenegotiationIsRefused(int port) throws Exception {
        Process p = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-tls1_2",
                "-CAfile", System.getProperty("phigate.test.pki") + "/ca.pem").redirectErrorStream(true).start();
        p.getOutputStream().write("R\n".getBytes(StandardCharsets.US_ASCII));
        p.getOutputStream().flush();
        Thread.sleep(2_000);
        p.getOutputStream().close();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("openssl finished").isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(out).contains("RENEGOTIATING").containsPattern("alert (handshake failure|no renegotiation)");
    }

    /** The data listener asks for client certificates: its request names no SHA-1 or SHA-224 signature scheme. */
    @Test
    void noSha1SignatureSchemeIsOfferedOrAccepted() throws Exception {
        String out = sClient(8443, "-tls1_2");

        assertThat(out).contains("Requested Signature Algorithms: ECDSA+SHA256").doesNotContain("+SHA1", "+SHA224");
        assertThat(sClient(8443, "-tls1_2", "-sigalgs", "ECDSA+SHA1:RSA+SHA1")).doesNotContain("Cipher is ECDHE");
    }
}
