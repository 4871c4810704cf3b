// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SecondFactorTest {

    private final SecondFactor standard = SecondFactor.parse(ConsoleSettings.DEFAULT_SECOND_FACTOR);

    @Test
    void aOneTimeCodeInAmrIsASecondFactor() {
        assertThat(standard.shownBy(Optional.of("pwd"), List.of("pwd", "otp"))).isTrue();
        assertThat(standard.shownBy(Optional.empty(), List.of("OTP"))).isTrue();
    }

    @Test
    void theAcrLevelOfTheRealmIsASecondFactor() {
        assertThat(standard.shownBy(Optional.of("mfa"), List.of())).isTrue();
    }

    @Test
    void aPasswordAloneIsNot() {
        assertThat(standard.shownBy(Optional.of("pwd"), List.of("pwd"))).isFalse();
        assertThat(standard.shownBy(Optional.of("1"), List.of())).isFalse();
        assertThat(standard.shownBy(Optional.empty(), List.of())).isFalse();
    }

    @Test
    void aSettingThatAcceptsOnlyAmrIgnoresTheAcrClaim() {
        SecondFactor amrOnly = SecondFactor.parse("amr:otp, amr:hwk");
        assertThat(amrOnly.shownBy(Optional.of("mfa"), List.of("pwd"))).isFalse();
        assertThat(amrOnly.shownBy(Optional.of("mfa"), List.of("pwd", "hwk"))).isTrue();
    }

    @Test
    void aSettingThatCannotBeReadOrAcceptsNothingIsRefused() {
        assertThatThrownBy(() -> SecondFactor.parse("otp")).hasMessageContaining("PHIG-1201");
        assertThatThrownBy(() -> SecondFactor.parse("amr:")).hasMessageContaining("PHIG-1201");
        assertThatThrownBy(() -> SecondFactor.parse(" , ")).hasMessageContaining("PHIG-1201");
    }

    @Test
    void theIdleLimitIsNeverUnsetOrTooShortToWorkIn() {
        assertThat(ConsoleSettings.idleTimeout("PT5M")).isEqualTo(Duration.ofMinutes(5));
        assertThat(ConsoleSettings.idleTimeout("")).isEqualTo(Duration.ofMinutes(15));
        assertThat(ConsoleSettings.idleTimeout("never")).isEqualTo(Duration.ofMinutes(15));
        assertThat(ConsoleSettings.idleTimeout("PT1S")).isEqualTo(Duration.ofMinutes(15));
        assertThat(ConsoleSettings.idleTimeout("PT0S")).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void facesPagesGetThePolicyOfPrimeFacesAndEverythingElseTheStrictOne() {
        assertThat(SecurityHeaders.facesPage("/console/")).isTrue();
        assertThat(SecurityHeaders.facesPage("/console/audit.xhtml")).isTrue();
        assertThat(SecurityHeaders.facesPage("/signed-out.html")).isFalse();
        assertThat(SecurityHeaders.facesPage("/api/routes")).isFalse();
    }
}
