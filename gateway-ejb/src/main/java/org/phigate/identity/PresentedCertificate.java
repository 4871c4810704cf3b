// SPDX-License-Identifier: Apache-2.0
package org.phigate.identity;

import java.util.Optional;
import java.util.function.Function;

/**
 * What the client certificate of a connection says about the caller. A certificate of a disabled identity is
 * refused on every route, at once: disabling is how an operator cuts a system off. An unregistered certificate is
 * refused where the route admits service identities, and ignored elsewhere (a client may hold a certificate for
 * other servers).
 */
public sealed interface PresentedCertificate {

    /** No certificate, or one that does not matter on this route. */
    record None() implements PresentedCertificate {
    }

    record Identity(String name) implements PresentedCertificate {
    }

    record Refused(CertificateRejection why) implements PresentedCertificate {
    }

    PresentedCertificate NONE = new None();

    /**
     * @param fingerprint the SHA-256 fingerprint of the connection's client certificate, if it presented one
     * @param registry the identity registered for a fingerprint
     * @param routeAdmitsIdentities whether the route's policy names service identities
     */
    static PresentedCertificate of(Optional<String> fingerprint, Function<String, Optional<ServiceIdentitySpec>> registry,
                                   boolean routeAdmitsIdentities) {
        if (fingerprint.isEmpty()) {
            return NONE;
        }
        Optional<ServiceIdentitySpec> identity = registry.apply(fingerprint.get());
        if (identity.isEmpty()) {
            return routeAdmitsIdentities ? new Refused(CertificateRejection.UNKNOWN) : NONE;
        }
        return identity.get().enabled() ? new Identity(identity.get().name()) : new Refused(CertificateRejection.DISABLED);
    }
}
