// SPDX-License-Identifier: Apache-2.0
package org.phigate.certificate.control;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A certificate the configuration file names by path: a PEM file, or a PKCS#12 file with its password in a file of
 * its own (so the configuration itself holds no secret). Read when the configuration is applied.
 */
public record CertificateSource(String name, CertificatePurpose purpose, Path file, Optional<Path> passwordFile) {

    private static final long MAX_BYTES = 1 << 20;

    public CertificateSource {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(passwordFile, "passwordFile");
    }

    /** @throws CertificateRefused (PHIG-1101) when a file cannot be read, or does not hold certificate material */
    public CertificateMaterial read() {
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new CertificateRefused(CertificateRefused.UNREADABLE, file + " is larger than 1 MiB");
            }
            byte[] bytes = Files.readAllBytes(file);
            String text = new String(bytes, StandardCharsets.US_ASCII);
            if (text.contains("-----BEGIN ")) {
                return CertificateMaterial.fromPem(text);
            }
            char[] password = passwordFile.isPresent() ? Files.readString(passwordFile.get(), StandardCharsets.UTF_8).strip().toCharArray()
                    : new char[0];
            return CertificateMaterial.fromPkcs12(bytes, password);
        } catch (IOException e) {
            throw new CertificateRefused(CertificateRefused.UNREADABLE, "cannot read " + e.getMessage() + " (" + e.getClass().getSimpleName() + ")");
        }
    }
}
