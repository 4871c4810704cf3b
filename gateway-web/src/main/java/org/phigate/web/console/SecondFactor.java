// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.console;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What proves that a sign-in used a second factor (45 CFR 164.312(d)): the {@code amr} methods (RFC 8176) and
 * {@code acr} values the console accepts. The console asks its tokens itself, so a realm that lets an administrator
 * in with a password alone still cannot open the console.
 */
public final class SecondFactor {

    private final List<String> amr;
    private final List<String> acr;

    private SecondFactor(List<String> amr, List<String> acr) {
        this.amr = List.copyOf(amr);
        this.acr = List.copyOf(acr);
    }

    /**
     * From the setting {@code phigate.console.second-factor}: comma-separated {@code amr:METHOD} and {@code acr:VALUE}.
     *
     * @throws IllegalArgumentException for an entry without either prefix, or a setting that accepts nothing
     */
    public static SecondFactor parse(String setting) {
        List<String> entries = Arrays.stream(Objects.requireNonNull(setting, "setting").split(","))
                .map(String::trim).filter(e -> !e.isEmpty()).toList();
        for (String entry : entries) {
            if (!entry.startsWith("amr:") && !entry.startsWith("acr:") || entry.length() == 4) {
                throw new IllegalArgumentException("PHIG-1201 phigate.console.second-factor: '" + entry
                        + "' is neither amr:METHOD nor acr:VALUE (for example amr:otp,acr:mfa)");
            }
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("PHIG-1201 phigate.console.second-factor is empty: it must name what proves a second factor");
        }
        return new SecondFactor(values(entries, "amr:"), values(entries, "acr:"));
    }

    private static List<String> values(List<String> entries, String prefix) {
        return entries.stream().filter(e -> e.startsWith(prefix)).map(e -> e.substring(4).toLowerCase(Locale.ROOT)).toList();
    }

    /** Whether the sign-in's {@code acr} and {@code amr} claims show one of the accepted proofs. */
    public boolean shownBy(Optional<String> acrClaim, List<String> amrClaim) {
        boolean byAcr = acrClaim.map(a -> acr.contains(a.toLowerCase(Locale.ROOT))).orElse(false);
        return byAcr || amrClaim.stream().map(m -> m.toLowerCase(Locale.ROOT)).anyMatch(amr::contains);
    }

    @Override
    public String toString() {
        return "amr " + amr + ", acr " + acr;
    }
}
