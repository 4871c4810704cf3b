// SPDX-License-Identifier: Apache-2.0
package org.phigate.certificate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phigate.certificate.control.KeyVault;

/** Keys go to a file only the server's account can read, written whole or not at all, and come back as they went in. */
class KeyVaultTest {

    @TempDir
    Path dir;

    @Test
    void aKeyComesBackFromAFileOfMode600AndGoesWhenRemoved() throws Exception {
        TestCertificates.Issued root = TestCertificates.selfSigned(TestCertificates.spec().subject("CN=Root").ca());
        TestCertificates.Issued client = TestCertificates.issuedBy(root, TestCertificates.spec());
        Path file = dir.resolve("keys").resolve("keys.p12");
        KeyVault vault = new KeyVault(file, "pw".toCharArray());

        assertThat(vault.store("backend-client", client.keys().getPrivate(), client.chain())).isEqualTo("keys:backend-client");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(new KeyVault(file, "pw".toCharArray()).key("backend-client").getEncoded()).isEqualTo(client.keys().getPrivate().getEncoded());
        try (var files = Files.list(file.getParent())) {
            assertThat(files).as("no temporary file left beside it").containsExactly(file);
        }

        vault.remove("backend-client");
        assertThatThrownBy(() -> vault.key("backend-client")).isInstanceOf(GeneralSecurityException.class);
        assertThatThrownBy(() -> new KeyVault(file, "wrong".toCharArray()).key("backend-client")).isInstanceOf(java.io.IOException.class);
    }
}
