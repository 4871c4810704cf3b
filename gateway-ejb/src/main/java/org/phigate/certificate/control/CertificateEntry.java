// SPDX-License-Identifier: Apache-2.0
package org.phigate.certificate.control;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** One certificate of the inventory as the admin API and the expiry monitor see it. */
public record CertificateEntry(String name, CertificatePurpose purpose, CertificateDetails details, Optional<String> keyReference,
                               boolean active, Instant importedAt, String importedBy) {

    public CertificateEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(details, "details");
        Objects.requireNonNull(keyReference, "keyReference");
    }
}
