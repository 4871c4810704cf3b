// SPDX-License-Identifier: Apache-2.0
package org.phigate.identity;

/**
 * Why a client certificate was refused. The client only ever sees {@code PHIG-4013}; the precise code goes to
 * the log and the audit record.
 */
public enum CertificateRejection {
    UNKNOWN("PHIG-4131", "the client certificate is not registered as a service identity"),
    DISABLED("PHIG-4132", "the client certificate's service identity is disabled");

    public final String code;
    public final String reason;

    CertificateRejection(String code, String reason) {
        this.code = code;
        this.reason = reason;
    }
}
