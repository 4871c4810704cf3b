// SPDX-License-Identifier: Apache-2.0
package org.phigate.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PresentedCertificateTest {

    private static final String LAB = "1a".repeat(32);
    private static final String RETIRED = "2b".repeat(32);
    private static final String STRANGER = "3c".repeat(32);
    private static final Map<String, ServiceIdentitySpec> REGISTRY = Map.of(
            LAB, new ServiceIdentitySpec("lab-feed", LAB, true, ""),
            RETIRED, new ServiceIdentitySpec("old-feed", RETIRED, false, ""));

    private static PresentedCertificate presented(String fingerprint, boolean routeAdmitsIdentities) {
        return PresentedCertificate.of(Optional.ofNullable(fingerprint), f -> Optional.ofNullable(REGISTRY.get(f)), routeAdmitsIdentities);
    }

    @Test
    void aRegisteredEnabledCertificateIsItsIdentityOnEveryRoute() {
        assertThat(presented(LAB, true)).isEqualTo(new PresentedCertificate.Identity("lab-feed"));
        assertThat(presented(LAB, false)).isEqualTo(new PresentedCertificate.Identity("lab-feed"));
    }

    @Test
    void aDisabledIdentityIsRefusedEverywhere() {
        assertThat(presented(RETIRED, true)).isEqualTo(new PresentedCertificate.Refused(CertificateRejection.DISABLED));
        assertThat(presented(RETIRED, false)).isEqualTo(new PresentedCertificate.Refused(CertificateRejection.DISABLED));
    }

    @Test
    void anUnregisteredCertificateIsRefusedOnlyWhereIdentitiesAreAskedFor() {
        assertThat(presented(STRANGER, true)).isEqualTo(new PresentedCertificate.Refused(CertificateRejection.UNKNOWN));
        assertThat(presented(STRANGER, false)).isEqualTo(PresentedCertificate.NONE);
        assertThat(presented(null, true)).isEqualTo(PresentedCertificate.NONE);
    }

    @Test
    void fingerprintsAreNormalisedAndCheckedForLength() {
        assertThat(ServiceIdentitySpec.normalizeFingerprint(" " + "1A:".repeat(31) + "1A ")).isEqualTo(LAB);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ServiceIdentitySpec.normalizeFingerprint("1A:2B"))
                .hasMessageContaining("not a SHA-256 fingerprint");
    }
}
