// SPDX-License-Identifier: Apache-2.0
package org.phigate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phigate.certificate.control.CertificatePurpose;
import org.phigate.certificate.control.CertificateSource;

/** The configuration file names certificates by path, relative to its own folder; a request body cannot name server files. */
class CertificateSectionTest {

    @TempDir
    Path dir;

    private static final String YAML = """
            certificates:
              acme-ca: {purpose: trust, file: certs/acme-ca.pem}
              to-acme: {purpose: client, file: /etc/phigate/to-acme.p12, passwordFile: certs/to-acme.password}
            """;

    @Test
    void pathsAreReadRelativeToTheConfigurationFile() {
        DesiredState desired = ConfigurationParser.parse(dir.resolve("routes.yaml").toString(), YAML);

        assertThat(desired.certificates()).containsExactly(
                new CertificateSource("acme-ca", CertificatePurpose.TRUST, dir.resolve("certs/acme-ca.pem"), Optional.empty()),
                new CertificateSource("to-acme", CertificatePurpose.CLIENT, Path.of("/etc/phigate/to-acme.p12"),
                        Optional.of(dir.resolve("certs/to-acme.password"))));
    }

    @Test
    void aRequestBodyCannotNameFilesOfTheServerAndAPurposeIsRequired() {
        ConfigurationRejected body = catchThrowableOfType(ConfigurationRejected.class, () -> ConfigurationParser.parse("request body", YAML));
        assertThat(body.problems()).hasSize(2).allSatisfy(p -> assertThat(p.message()).contains("PUT /api/certificates/"));

        ConfigurationRejected noPurpose = catchThrowableOfType(ConfigurationRejected.class, () -> ConfigurationParser.parse(
                dir.resolve("routes.yaml").toString(), "certificates:\n  x: {file: x.pem}\n"));
        assertThat(noPurpose.problems()).singleElement().satisfies(p -> assertThat(p.field()).isEqualTo("certificates.x.purpose"));
    }
}
