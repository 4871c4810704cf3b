// SPDX-License-Identifier: Apache-2.0
package org.phigate.route.control;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The TLS material a pool uses towards its backends, by name in the certificate inventory: the CAs it trusts (only
 * these, instead of the server's backend trust store: a vendor's pool trusts the vendor's CA and nothing else), and the
 * client certificate it presents to backends that ask for one. Certificates are never changed once inventoried, so the
 * same names always mean the same material.
 */
public record PoolTls(List<String> trust, Optional<String> clientCertificate) {

    /** The server's backend trust store, no client certificate. */
    public static final PoolTls SERVER_DEFAULT = new PoolTls(List.of(), Optional.empty());

    public PoolTls {
        trust = List.copyOf(trust);
        Objects.requireNonNull(clientCertificate, "clientCertificate");
    }

    public boolean serverDefault() {
        return trust.isEmpty() && clientCertificate.isEmpty();
    }
}
