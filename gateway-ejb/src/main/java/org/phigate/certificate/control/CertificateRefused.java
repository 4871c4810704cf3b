// SPDX-License-Identifier: Apache-2.0
package org.phigate.certificate.control;

import jakarta.ejb.ApplicationException;
import java.util.List;
import java.util.stream.Collectors;

/** Certificate material the registry will not take, with every reason found (each a stable code and a sentence). */
@ApplicationException(rollback = true)
public final class CertificateRefused extends RuntimeException {

    /** One reason: the code names the rule, the message says what to do. */
    public record Reason(String code, String message) {
    }

    public static final String UNREADABLE = "PHIG-1101";
    public static final String WEAK_KEY = "PHIG-1102";
    public static final String WEAK_SIGNATURE = "PHIG-1103";
    public static final String EXPIRED = "PHIG-1104";
    public static final String NOT_YET_VALID = "PHIG-1105";
    public static final String BROKEN_CHAIN = "PHIG-1106";
    public static final String KEY_MISMATCH = "PHIG-1107";
    public static final String KEY_MISSING = "PHIG-1108";
    public static final String WRONG_USAGE = "PHIG-1109";
    public static final String KEY_NOT_WANTED = "PHIG-1110";
    /** The name or the certificate (for its purpose) is in the inventory already. */
    public static final String EXISTS = "PHIG-1111";
    /** The operation does not fit the certificate: activating what is not a valid server certificate, removing the active one. */
    public static final String NOT_APPLICABLE = "PHIG-1112";
    /** The server has no key store for private keys (phigate.keys.keystore), or it cannot be written. */
    public static final String NO_KEY_STORE = "PHIG-1113";

    private final transient List<Reason> reasons;

    public CertificateRefused(List<Reason> reasons) {
        super(reasons.stream().map(r -> r.code() + " " + r.message()).collect(Collectors.joining("; ")));
        this.reasons = List.copyOf(reasons);
    }

    public CertificateRefused(String code, String message) {
        this(List.of(new Reason(code, message)));
    }

    public List<Reason> reasons() {
        return reasons;
    }
}
