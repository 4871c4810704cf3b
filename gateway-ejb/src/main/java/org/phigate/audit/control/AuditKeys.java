// SPDX-License-Identifier: Apache-2.0
package org.phigate.audit.control;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Objects;
import javax.crypto.SecretKey;

/**
 * The audit trail's keys, from a PKCS#12 keystore of the server (made by configure.sh, readable by the server's
 * account only), never from the database: whoever can write the database can neither reverse pseudonyms nor sign
 * a checkpoint. Alias {@code pseudonym}: the HMAC key of patient pseudonyms; alias {@code checkpoint}: the EC key
 * pair that signs checkpoints (its certificate lets anyone verify them).
 */
public record AuditKeys(SecretKey pseudonym, PrivateKey checkpointSigning, PublicKey checkpointVerifying) {

    public static final String PSEUDONYM_ALIAS = "pseudonym";
    public static final String CHECKPOINT_ALIAS = "checkpoint";

    public AuditKeys {
        Objects.requireNonNull(pseudonym, "pseudonym");
        Objects.requireNonNull(checkpointSigning, "checkpointSigning");
        Objects.requireNonNull(checkpointVerifying, "checkpointVerifying");
    }

    /** @throws IllegalStateException naming what is missing, so that the operator knows what to fix */
    public static AuditKeys load(Path keystore, char[] password) {
        KeyStore store;
        try (InputStream in = Files.newInputStream(keystore)) {
            store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("PHIG-0410 the audit keystore " + keystore + " cannot be read: " + e.getMessage()
                    + "; check phigate.audit.keystore and its password", e);
        }
        try {
            if (!(store.getKey(PSEUDONYM_ALIAS, password) instanceof SecretKey secret)) {
                throw new IllegalStateException("PHIG-0411 the audit keystore " + keystore + " has no secret key '" + PSEUDONYM_ALIAS + "'");
            }
            if (!(store.getKey(CHECKPOINT_ALIAS, password) instanceof PrivateKey signing) || store.getCertificate(CHECKPOINT_ALIAS) == null) {
                throw new IllegalStateException("PHIG-0411 the audit keystore " + keystore + " has no key pair '" + CHECKPOINT_ALIAS + "'");
            }
            return new AuditKeys(secret, signing, store.getCertificate(CHECKPOINT_ALIAS).getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PHIG-0410 the audit keystore " + keystore + " cannot be read: " + e.getMessage(), e);
        }
    }
}
