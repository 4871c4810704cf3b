// SPDX-License-Identifier: Apache-2.0
package org.phigate.config;

import java.io.Serializable;

/**
 * One reason a configuration was refused: where (file, line, field) and why, with a stable code.
 * {@code line} is 1-based; 0 when the problem is about the file as a whole.
 */
public record ConfigProblem(String code, String file, int line, String field, String message) implements Serializable {

    public static final String UNREADABLE = "PHIG-1001";
    public static final String SYNTAX = "PHIG-1002";
    public static final String INVALID_FIELD = "PHIG-1003";
    public static final String PHI_OVER_PLAIN_HTTP = "PHIG-1004";
    public static final String UNKNOWN_POOL = "PHIG-1005";
    public static final String CONFLICT = "PHIG-1006";
    /** PHIG-1007 is the admin API's refusal of a break-glass review without a valid note. */
    public static final String UNKNOWN_IDENTITY = "PHIG-1008";
    public static final String IN_USE = "PHIG-1009";
    public static final String UNKNOWN_VENDOR = "PHIG-1010";
    public static final String UNKNOWN_CERTIFICATE = "PHIG-1011";

    @Override
    public String toString() {
        String where = line > 0 ? file + ":" + line : file;
        return code + " " + where + (field.isEmpty() ? "" : " " + field) + ": " + message;
    }
}
