// SPDX-License-Identifier: Apache-2.0
package org.phigate.route.control;

/** Path rules shared by the registry and the data plane, so that both agree on what a prefix is. */
public final class RoutePaths {

    private RoutePaths() {
    }

    /** "/fhir" and "/fhir/" are the same prefix; it is stored with both slashes. */
    public static String normalizePrefix(String prefix) {
        if (prefix == null || prefix.isEmpty() || prefix.charAt(0) != '/') {
            throw new IllegalArgumentException("a path prefix starts with '/': " + prefix);
        }
        if (prefix.contains("//") || prefix.contains("/../") || prefix.contains("/./")
                || prefix.endsWith("/..") || prefix.endsWith("/.") || prefix.contains("?") || prefix.contains("#")) {
            throw new IllegalArgumentException("a path prefix is a plain path without dot segments, query or fragment: " + prefix);
        }
        return prefix.endsWith("/") ? prefix : prefix + "/";
    }
}
