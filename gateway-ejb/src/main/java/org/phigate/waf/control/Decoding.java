// SPDX-License-Identifier: Apache-2.0
package org.phigate.waf.control;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Optional;

/**
 * Percent-decoding as the backend will do it, strictly: bytes that are not valid UTF-8 (overlong forms such as
 * {@code %c0%ae} among them), IIS's {@code %u} escapes, null bytes and a second layer of encoding ({@code %252e}) are
 * refused rather than guessed at, because a WAF that decodes differently from the backend can be walked around.
 */
public final class Decoding {

    /** The decoded text, or the protocol rule it breaks. */
    public record Decoded(String text, Optional<String> brokenRule) {

        static Decoded ok(String text) {
            return new Decoded(text, Optional.empty());
        }

        static Decoded broken(String rule) {
            return new Decoded("", Optional.of(rule));
        }
    }

    public static final String NULL_BYTE = "PHIG-WAF-1010";
    public static final String BAD_UTF8 = "PHIG-WAF-1011";
    public static final String DOUBLE_ENCODED = "PHIG-WAF-1012";

    private Decoding() {
    }

    /** Decodes {@code %XX} (and {@code +} as a space in query strings and forms). */
    public static Decoded percent(String raw, boolean plusIsSpace) {
        if (raw.indexOf('%') < 0 && (!plusIsSpace || raw.indexOf('+') < 0)) {
            return checked(raw);
        }
        ByteBuffer bytes = ByteBuffer.allocate(raw.length() * 3);
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%' && i + 2 < raw.length() && hex(raw.charAt(i + 1)) >= 0 && hex(raw.charAt(i + 2)) >= 0) {
                int b = hex(raw.charAt(i + 1)) * 16 + hex(raw.charAt(i + 2));
                if (b == '%' && i + 4 < raw.length() && hex(raw.charAt(i + 3)) >= 0 && hex(raw.charAt(i + 4)) >= 0) {
                    return Decoded.broken(DOUBLE_ENCODED);
                }
                bytes.put((byte) b);
                i += 2;
            } else if (c == '%' && i + 1 < raw.length() && (raw.charAt(i + 1) == 'u' || raw.charAt(i + 1) == 'U')) {
                return Decoded.broken(BAD_UTF8);
            } else if (c == '+' && plusIsSpace) {
                bytes.put((byte) ' ');
            } else {
                bytes.put(StandardCharsets.UTF_8.encode(String.valueOf(c)));
            }
        }
        bytes.flip();
        return utf8(bytes);
    }

    /** Decodes a body or header as strict UTF-8. */
    public static Decoded utf8(byte[] body, int offset, int length) {
        return utf8(ByteBuffer.wrap(body, offset, length));
    }

    private static Decoded utf8(ByteBuffer bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer chars = decoder.decode(bytes);
            return checked(chars.toString());
        } catch (CharacterCodingException e) {
            return Decoded.broken(BAD_UTF8);
        }
    }

    private static Decoded checked(String text) {
        return text.indexOf('\0') >= 0 ? Decoded.broken(NULL_BYTE) : Decoded.ok(text);
    }

    /**
     * The form detectors read: compatibility-normalized (NFKC) when the text is not plain ASCII, so that full-width
     * {@code ＜script＞} is read as the backend's normalizer would read it.
     */
    public static String forDetection(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 0x7e) {
                return Normalizer.normalize(text, Normalizer.Form.NFKC);
            }
        }
        return text;
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }
}
