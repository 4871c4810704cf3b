// SPDX-License-Identifier: Apache-2.0
package org.phigate.waf.control;

import java.util.List;
import java.util.Objects;

/**
 * What the WAF reads of a request, as it came off the wire: the path and query undecoded, the headers in order,
 * and the body read so far ({@code bodyLength} bytes of {@code body}).
 */
public record RequestParts(String method, String rawPath, String rawQuery, List<Header> headers, String contentType,
                           byte[] body, int bodyLength) {

    public record Header(String name, String value) {
    }

    public RequestParts {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(rawPath, "rawPath");
        rawQuery = rawQuery == null ? "" : rawQuery;
        headers = List.copyOf(headers);
        contentType = contentType == null ? "" : contentType;
        body = body == null ? new byte[0] : body;
    }

    public static RequestParts get(String rawPath, String rawQuery, List<Header> headers) {
        return new RequestParts("GET", rawPath, rawQuery, headers, "", new byte[0], 0);
    }
}
