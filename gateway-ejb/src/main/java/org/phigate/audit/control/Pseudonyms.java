// SPDX-License-Identifier: Apache-2.0
package org.phigate.audit.control;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;

/**
 * Patient ids as they may be stored: a keyed HMAC-SHA256 (128 bits of it, hex). The same patient always gets the
 * same pseudonym, so one patient's disclosures can be listed; without the key, which lives in the server's keystore
 * and never in the database, a pseudonym cannot be turned back into an id, nor an id guessed from a list of them.
 */
public final class Pseudonyms {

    private static final String ALGORITHM = "HmacSHA256";
    private final Key key;
    private final ThreadLocal<Mac> macs;

    public Pseudonyms(Key key) {
        this.key = Objects.requireNonNull(key, "key");
        this.macs = ThreadLocal.withInitial(this::mac);
        mac();
    }

    private Mac mac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("the pseudonym key is not an HMAC key", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java platform has " + ALGORITHM, e);
        }
    }

    /** The pseudonym of a patient's logical id (the id of {@code Patient/{id}}). */
    public String patient(String id) {
        byte[] digest = macs.get().doFinal(("Patient/" + id).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest, 0, 16);
    }
}
