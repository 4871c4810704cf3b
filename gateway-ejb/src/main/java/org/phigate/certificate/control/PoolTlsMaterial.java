// SPDX-License-Identifier: Apache-2.0
package org.phigate.certificate.control;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a pool's {@code tls} names resolve to: the CAs it trusts and the client certificate with its key, and the instant
 * the first of them expires, from which the pool's backends count as unhealthy.
 */
public record PoolTlsMaterial(List<X509Certificate> anchors, Optional<KeyVault.Entry> client, Instant validUntil) {

    public PoolTlsMaterial {
        anchors = List.copyOf(anchors);
    }

    /** Where a pool's material is looked up, by the names of its {@code tls}. */
    @FunctionalInterface
    public interface Source {
        /** @return empty when a name is not in the inventory (any more), or the key cannot be read */
        Optional<PoolTlsMaterial> material(List<String> trust, Optional<String> clientCertificate);
    }

    @Override
    public String toString() {
        return "PoolTlsMaterial[" + anchors.size() + " anchors" + (client.isPresent() ? ", client certificate" : "") + ", until " + validUntil + "]";
    }
}
