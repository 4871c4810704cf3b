// SPDX-License-Identifier: Apache-2.0
package org.phigate.waf.control;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * Java deserialization: a serialization stream (magic {@code AC ED 00 05}) as raw bytes, as base64 (which begins
 * {@code rO0AB}), as hex, or gzipped inside base64; and the class names of known gadget chains and the type hints of
 * JSON and YAML binders that instantiate classes named by the caller.
 */
public final class Deserialization {

    private static final byte[] MAGIC = {(byte) 0xAC, (byte) 0xED, 0x00, 0x05};
    private static final java.util.regex.Pattern TYPED_ARRAY =
            java.util.regex.Pattern.compile("(java|javax|jdk|sun|com|org|net|ch|io|bsh|clojure)(\\.[a-z0-9_]+)+\\.[A-Z][A-Za-z0-9_$]*");

    private final WafRule stream;
    private final WafRule gadget;
    private final WordSet classes;
    private final WordSet hints;

    public Deserialization(WafRules rules) {
        stream = rules.rule("PHIG-WAF-8001");
        gadget = rules.rule("PHIG-WAF-8002");
        classes = new WordSet(gadget.words("classes"));
        hints = new WordSet(gadget.words("hints"));
    }

    /** @param lower {@code value} in lower case */
    public Optional<WafRule> detect(String value, String lower, RuleScope scope) {
        if (scope.allows(stream) && (value.contains("rO0AB") || lower.contains("aced0005") || value.contains("H4sI") && gzippedStream(value))) {
            return Optional.of(stream);
        }
        if (scope.allows(gadget) && (lower.indexOf('.') >= 0 && classes.foundIn(lower) || lower.contains("!!") && hints.foundIn(lower))) {
            return Optional.of(gadget);
        }
        return Optional.empty();
    }

    /** For binary content (an attachment's bytes, a multipart file): only the stream magic is looked for. */
    public Optional<WafRule> detectBinary(byte[] bytes, int offset, int length, RuleScope scope) {
        if (!scope.allows(stream)) {
            return Optional.empty();
        }
        for (int i = offset; i + MAGIC.length <= offset + length; i++) {
            if (bytes[i] == MAGIC[0] && bytes[i + 1] == MAGIC[1] && bytes[i + 2] == MAGIC[2] && bytes[i + 3] == MAGIC[3]) {
                return Optional.of(stream);
            }
        }
        return Optional.empty();
    }

    /**
     * For base64 content (FHIR {@code Attachment.data}): only a stream at its start counts, since five given
     * characters occur by chance somewhere in about one megabyte of random base64 in a thousand.
     */
    public Optional<WafRule> detectBase64(String value, RuleScope scope) {
        String start = value.stripLeading();
        boolean serialized = start.startsWith("rO0AB") || start.startsWith("H4sI") && gzippedStream(start.substring(0, Math.min(start.length(), 4096)));
        return serialized && scope.allows(stream) ? Optional.of(stream) : Optional.empty();
    }

    /**
     * A class name given as a JSON binder's type hint ({@code "@type": "com.example.Gadget"}; .NET's
     * {@code "$type": "Namespace.Type, Assembly"} too, for the services behind the gateway that are not Java).
     */
    public Optional<WafRule> detectTypeHint(String key, String value, RuleScope scope) {
        boolean hintKey = key.equals("@type") || key.equals("@class") || key.equals("$type") || key.equals("@c");
        if (!hintKey || !scope.allows(gadget)) {
            return Optional.empty();
        }
        String type = value.contains(",") ? value.substring(0, value.indexOf(',')).strip() : value;
        boolean className = type.indexOf('.') > 0 && type.chars().allMatch(c -> Character.isJavaIdentifierPart(c) || c == '.' || c == '$');
        return className ? Optional.of(gadget) : Optional.empty();
    }

    /**
     * Jackson's default typing as an array, {@code ["org.example.Gadget", {...}]}: the first element of an array
     * that is a fully qualified Java class name.
     */
    public Optional<WafRule> detectTypedArray(String firstElement, RuleScope scope) {
        return scope.allows(gadget) && TYPED_ARRAY.matcher(firstElement).matches() ? Optional.of(gadget) : Optional.empty();
    }

    /** Base64 of gzip ({@code H4sI}) whose first bytes, unzipped, are a serialization stream. */
    private static boolean gzippedStream(String value) {
        int at = value.indexOf("H4sI");
        if (at < 0) {
            return false;
        }
        int end = at;
        while (end < value.length() && end - at < 4096 && isBase64(value.charAt(end))) {
            end++;
        }
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(value.substring(at, end - (end - at) % 4))))) {
            byte[] head = in.readNBytes(4);
            return head.length == 4 && head[0] == MAGIC[0] && head[1] == MAGIC[1] && head[2] == MAGIC[2] && head[3] == MAGIC[3];
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean isBase64(char c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '=';
    }
}
