// SPDX-License-Identifier: Apache-2.0
package org.phigate.audit.control;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * Signed checkpoints of a node's chain. A hash chain alone shows that an entry was changed, but whoever can write
 * the database could recompute every hash after the entry he changed; a signature over the position and hash the
 * chain had reached, made with a key the database never sees, pins everything up to there. One is due after
 * {@code interval} of writing (and at least every {@code maxEntries} entries); the writer thread owns this object.
 */
public final class Checkpoints {

    public static final String ALGORITHM = "SHA256withECDSA";

    public record Checkpoint(String node, long seq, String hash, long atMicros, String algorithm, String signature) {
    }

    private final PrivateKey signing;
    private final long intervalMicros;
    private final long maxEntries;
    private long lastAt;
    private long lastSeq;

    public Checkpoints(PrivateKey signing, long intervalMicros, long maxEntries, long lastSeq) {
        this.signing = Objects.requireNonNull(signing, "signing");
        this.intervalMicros = intervalMicros;
        this.maxEntries = maxEntries;
        this.lastSeq = lastSeq;
    }

    /** A signed checkpoint at the batch's tail, if one is due. */
    public Optional<Checkpoint> due(AuditEntry tail, long nowMicros) {
        if (nowMicros - lastAt < intervalMicros && tail.seq() - lastSeq < maxEntries) {
            return Optional.empty();
        }
        try {
            Signature signer = Signature.getInstance(ALGORITHM);
            signer.initSign(signing);
            signer.update(signed(tail.node(), tail.seq(), tail.hash(), nowMicros));
            return Optional.of(new Checkpoint(tail.node(), tail.seq(), tail.hash(), nowMicros, ALGORITHM,
                    Base64.getEncoder().encodeToString(signer.sign())));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PHIG-0412 a checkpoint could not be signed", e);
        }
    }

    /** The checkpoint is durable: the next is due an interval from now. */
    public void committed(Checkpoint checkpoint) {
        lastAt = checkpoint.atMicros();
        lastSeq = checkpoint.seq();
    }

    public static boolean verify(Checkpoint checkpoint, PublicKey key) {
        try {
            Signature verifier = Signature.getInstance(checkpoint.algorithm());
            verifier.initVerify(key);
            verifier.update(signed(checkpoint.node(), checkpoint.seq(), checkpoint.hash(), checkpoint.atMicros()));
            return verifier.verify(Base64.getDecoder().decode(checkpoint.signature()));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static byte[] signed(String node, long seq, String hash, long atMicros) {
        return ("phigate-audit-checkpoint\n" + node + "\n" + seq + "\n" + hash + "\n" + atMicros).getBytes(StandardCharsets.UTF_8);
    }
}
