// SPDX-License-Identifier: Apache-2.0
package org.phigate.identity;

/**
 * Why a bearer token was refused. The client only ever sees {@code PHIG-4011} (no token) or
 * {@code PHIG-4012} (invalid token); the precise code goes to the log and the audit record.
 */
public enum TokenRejection {
    MISSING("PHIG-4011", "no bearer token"),
    MALFORMED("PHIG-4120", "not a signed JWT"),
    ALGORITHM_NOT_ALLOWED("PHIG-4121", "signature algorithm not allowed (only RS256, PS256, ES256)"),
    UNKNOWN_KEY("PHIG-4122", "signed with a key the issuer does not publish"),
    BAD_SIGNATURE("PHIG-4123", "signature does not verify"),
    EXPIRED("PHIG-4124", "expired"),
    NOT_YET_VALID("PHIG-4125", "not yet valid"),
    WRONG_ISSUER("PHIG-4126", "issued by another issuer"),
    WRONG_AUDIENCE("PHIG-4127", "not issued for this gateway's audience"),
    MISSING_CLAIM("PHIG-4128", "lacks a required claim (sub, exp)"),
    NO_KEYS("PHIG-4129", "the issuer's keys could not be fetched");

    public final String code;
    public final String reason;

    TokenRejection(String code, String reason) {
        this.code = code;
        this.reason = reason;
    }
}
