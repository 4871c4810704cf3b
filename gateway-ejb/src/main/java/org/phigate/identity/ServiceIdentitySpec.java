// SPDX-License-Identifier: Apache-2.0
package org.phigate.identity;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A system that calls the data plane with a client certificate (mutual TLS), known by the SHA-256 fingerprint
 * of that certificate: pinning the certificate itself, not only its issuer, means a CA that signs for many
 * systems cannot mint a second identity. {@code fingerprint} is 64 lower-case hex digits.
 */
public record ServiceIdentitySpec(String name, String fingerprint, boolean enabled, String description) {

    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

    public ServiceIdentitySpec {
        Objects.requireNonNull(name, "name");
        fingerprint = normalizeFingerprint(fingerprint);
        description = description == null ? "" : description;
    }

    /**
     * Accepts the forms operators copy from tools: {@code openssl x509 -fingerprint -sha256} (colon-separated,
     * upper case) and plain hex, in either case.
     *
     * @throws IllegalArgumentException when the text is not a SHA-256 fingerprint
     */
    public static String normalizeFingerprint(String text) {
        String hex = Objects.requireNonNull(text, "fingerprint").replace(":", "").trim().toLowerCase(Locale.ROOT);
        if (!HEX.matcher(hex).matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a SHA-256 fingerprint (64 hex digits, colons allowed)");
        }
        return hex;
    }

    /** The fingerprint of a certificate's DER encoding, in the form {@link #fingerprint} holds. */
    public static String fingerprintOf(byte[] der) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
