// SPDX-License-Identifier: Apache-2.0
package org.phigate.audit.control;

/** Who asked for an admin change, from where, through which endpoint: what its audit entry says besides before and after. */
public record ChangeOrigin(String who, String clientId, String sourceIp, String method, String endpoint) {

    /** A change applied from the configuration file. */
    public static ChangeOrigin file(String path) {
        return new ChangeOrigin("configuration-file", "", null, "APPLY", path);
    }
}
