// SPDX-License-Identifier: Apache-2.0
package org.phigate.waf.control;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * A {@code multipart/form-data} body (RFC 7578) read part by part: each part's name and file name are judged, and
 * its content by its own media type (JSON, XML and text as such, anything else as bytes that may hold a Java
 * serialization stream). A body whose boundary is missing or never closes is malformed, not skipped.
 */
final class Multipart {

    private final Inspection inspection;
    private final String boundary;

    Multipart(Inspection inspection, String contentType) {
        this.inspection = inspection;
        this.boundary = boundary(contentType);
    }

    Optional<Finding> inspect(byte[] body, int length) {
        if (boundary.isEmpty()) {
            return inspection.protocol("PHIG-WAF-1013", "body");
        }
        String text = new String(body, 0, length, StandardCharsets.ISO_8859_1);
        String delimiter = "--" + boundary;
        int at = text.indexOf(delimiter);
        if (at < 0) {
            return inspection.protocol("PHIG-WAF-1013", "body");
        }
        while (true) {
            int partStart = at + delimiter.length();
            if (text.startsWith("--", partStart)) {
                return Optional.empty();
            }
            int next = text.indexOf("\r\n" + delimiter, partStart);
            int headersEnd = text.indexOf("\r\n\r\n", partStart);
            if (next < 0 || headersEnd < 0 || headersEnd > next) {
                return inspection.protocol("PHIG-WAF-1013", "body");
            }
            Optional<Finding> found = part(body, text.substring(partStart, headersEnd), headersEnd + 4, next);
            if (found.isPresent()) {
                return found;
            }
            at = next + 2;
        }
    }

    private Optional<Finding> part(byte[] body, String headers, int from, int to) {
        String name = parameter(headers, "name");
        String fileName = parameter(headers, "filename");
        String type = header(headers, "content-type");
        Optional<Finding> found = inspection.judge(name, "multipart", () -> name, RuleScope.ALL, false);
        if (found.isEmpty() && !fileName.isEmpty()) {
            found = inspection.judge(fileName, "multipart", () -> name + "@filename", RuleScope.ALL, false);
        }
        if (found.isPresent()) {
            return found;
        }
        String media = type.toLowerCase(Locale.ROOT);
        boolean textual = media.isEmpty() && fileName.isEmpty() || media.startsWith("text/") || media.contains("json") || media.contains("xml");
        if (!textual) {
            return inspection.binary(body, from, to - from, "multipart:" + name);
        }
        Decoding.Decoded content = Decoding.utf8(body, from, to - from);
        if (content.brokenRule().isPresent()) {
            return inspection.protocol(content.brokenRule().get(), Targets.of("multipart", name));
        }
        if (media.contains("json")) {
            return inspection.json(content.text());
        }
        if (media.contains("xml")) {
            return inspection.xml(content.text());
        }
        return inspection.judge(content.text(), "multipart", () -> name, RuleScope.ALL, true);
    }

    private static String boundary(String contentType) {
        String value = parameter(contentType, "boundary");
        return value.length() > 70 ? "" : value;
    }

    /** A parameter ({@code name="x"}) of a header value. */
    private static String parameter(String header, String parameter) {
        String lower = header.toLowerCase(Locale.ROOT);
        int at = -1;
        for (int i = lower.indexOf(parameter + "="); i >= 0; i = lower.indexOf(parameter + "=", i + 1)) {
            if (i == 0 || lower.charAt(i - 1) == ';' || lower.charAt(i - 1) == ' ') {
                at = i + parameter.length() + 1;
                break;
            }
        }
        if (at < 0) {
            return "";
        }
        if (at < header.length() && header.charAt(at) == '"') {
            int close = header.indexOf('"', at + 1);
            return header.substring(at + 1, close < 0 ? header.length() : close);
        }
        int end = at;
        while (end < header.length() && header.charAt(end) != ';' && header.charAt(end) != '\r' && header.charAt(end) != '\n') {
            end++;
        }
        return header.substring(at, end).strip();
    }

    private static String header(String headers, String name) {
        for (String line : headers.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).strip();
            }
        }
        return "";
    }
}
