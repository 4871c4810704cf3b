// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.proxy;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.GeneralSecurityException;
import org.junit.jupiter.api.Test;

class BackendTlsTest {

    @Test
    void refusesToStartWhenHostnameVerificationIsSwitchedOff() {
        System.setProperty(BackendTls.NO_HOSTNAME_CHECK, "true");
        try {
            assertThatThrownBy(() -> TestPki.trusted().backendTls())
                    .isInstanceOf(GeneralSecurityException.class).hasMessageContaining("PHIG-0202");
        } finally {
            System.clearProperty(BackendTls.NO_HOSTNAME_CHECK);
        }
    }

    @Test
    void refusesToStartWithoutATrustStore() {
        System.clearProperty("phigate.backend.truststore");

        assertThatThrownBy(BackendTls::fromSystemProperties).hasMessageContaining("PHIG-0201");
    }
}
