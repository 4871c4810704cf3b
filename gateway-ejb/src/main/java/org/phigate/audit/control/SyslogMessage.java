// SPDX-License-Identifier: Apache-2.0
package org.phigate.audit.control;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * One audit entry as an RFC 5424 syslog message, framed for RFC 5425 (TLS) by octet counting: {@code LEN SP MSG}.
 * <ul>
 *   <li>PRI: facility 13 (log audit); severity informational, notice for a refusal or a break-glass access,
 *       warning for a failure.</li>
 *   <li>HOSTNAME the host, APP-NAME {@code phigate}, PROCID {@code -}, MSGID the entry's kind (ACCESS, OUTCOME,
 *       CHANGE).</li>
 *   <li>STRUCTURED-DATA {@code [phigate@32473 node= seq= requestId= decision= reason= prevHash= hash=]}: what a
 *       SIEM needs to find gaps (node and seq run without holes) and to check the chain on its own copy. 32473 is
 *       the enterprise number RFC 5612 reserves for documentation; PHIGate has none of its own.</li>
 *   <li>MSG: a UTF-8 BOM and the whole entry as {@link AuditJson} writes it.</li>
 * </ul>
 * The entry holds no PHI (redacted path, pseudonyms), so neither does the message.
 */
public final class SyslogMessage {

    static final String SD_ID = "phigate@32473";
    private static final int FACILITY_LOG_AUDIT = 13;
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private SyslogMessage() {
    }

    /** The framed message: its length in octets, a space, and the message. */
    public static byte[] framed(AuditEntry entry, String hostname) {
        byte[] message = message(entry, hostname);
        byte[] length = (message.length + " ").getBytes(StandardCharsets.US_ASCII);
        byte[] frame = new byte[length.length + message.length];
        System.arraycopy(length, 0, frame, 0, length.length);
        System.arraycopy(message, 0, frame, length.length, message.length);
        return frame;
    }

    static byte[] message(AuditEntry entry, String hostname) {
        StringBuilder header = new StringBuilder(256)
                .append('<').append(FACILITY_LOG_AUDIT * 8 + severity(entry)).append(">1 ")
                .append(AuditJson.TIME.format(AuditClock.instant(entry.atMicros()))).append(' ')
                .append(headerField(hostname, 255)).append(" phigate - ").append(entry.kind().name()).append(" [").append(SD_ID);
        param(header, "node", entry.node());
        param(header, "seq", Long.toString(entry.seq()));
        param(header, "requestId", entry.requestId());
        param(header, "decision", entry.decision().name());
        param(header, "reason", entry.reason());
        param(header, "prevHash", entry.prevHash());
        param(header, "hash", entry.hash());
        header.append("] ");
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        out.writeBytes(header.toString().getBytes(StandardCharsets.UTF_8));
        out.writeBytes(BOM);
        out.writeBytes(AuditJson.write(entry).getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static int severity(AuditEntry entry) {
        return switch (entry.decision()) {
            case FAIL -> 4;
            case REFUSE -> 5;
            default -> entry.breakGlass() ? 5 : 6;
        };
    }

    /** HOSTNAME is 1-255 printable US-ASCII characters without spaces; anything else becomes '-' (the nil value). */
    private static String headerField(String value, int max) {
        if (value == null || value.isEmpty() || value.length() > max) {
            return "-";
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 33 || c > 126) {
                return "-";
            }
        }
        return value;
    }

    /** PARAM-VALUE escapes '"', '\' and ']' with a backslash (RFC 5424, 6.3.3). */
    private static void param(StringBuilder sd, String name, String value) {
        if (value == null) {
            return;
        }
        sd.append(' ').append(name).append("=\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\' || c == ']') {
                sd.append('\\');
            }
            sd.append(c);
        }
        sd.append('"');
    }
}
