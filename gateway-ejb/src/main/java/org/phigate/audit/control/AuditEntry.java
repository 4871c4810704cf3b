// SPDX-License-Identifier: Apache-2.0
package org.phigate.audit.control;

import java.util.Objects;

/**
 * One link of a node's audit chain. An {@link Kind#ACCESS} entry says who asked for what, from where, and what the
 * gateway decided; it is durable before the request is forwarded. A forwarded request's {@link Kind#OUTCOME}
 * entry (same request id) adds what came back. A request the gateway answered itself has its status in the access
 * entry and no outcome. Holds no PHI: {@code path} is the redacted path, {@code patient} a keyed pseudonym.
 * {@code vendor} names the business associate of the route, if any.
 * {@code seq}, {@code prevHash} and {@code hash} are set by the chain when the entry is appended.
 */
public record AuditEntry(Kind kind, String node, long seq, long atMicros, String requestId,
                         String subject, String clientId, String serviceIdentity, String sourceIp,
                         String tlsProtocol, String tlsCipher, String method, String route, String path,
                         String resourceType, String interaction, String patient,
                         Decision decision, String reason, boolean breakGlass, String backend, String vendor,
                         int status, long bytesIn, long bytesOut, long durationMicros, boolean aborted,
                         String before, String after, String prevHash, String hash) {

    public enum Kind {
        ACCESS('A'), OUTCOME('O'), CHANGE('C');

        public final char code;

        Kind(char code) {
            this.code = code;
        }

        public static Kind of(char code) {
            return switch (code) {
                case 'A' -> ACCESS;
                case 'O' -> OUTCOME;
                default -> CHANGE;
            };
        }
    }

    /** What the gateway did: forwarded it, refused it (4xx with a reason), failed to (5xx), or applied an admin change. */
    public enum Decision {
        FORWARD, REFUSE, FAIL, APPLY
    }

    public AuditEntry {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(decision, "decision");
    }

    /** This entry as the chain appends it: at position {@code seq} of {@code node}, after {@code prevHash}. */
    public AuditEntry chained(String chainNode, long position, String previous, String ownHash) {
        return new AuditEntry(kind, chainNode, position, atMicros, requestId, subject, clientId, serviceIdentity, sourceIp,
                tlsProtocol, tlsCipher, method, route, path, resourceType, interaction, patient, decision, reason, breakGlass,
                backend, vendor, status, bytesIn, bytesOut, durationMicros, aborted, before, after, previous, ownHash);
    }

    public static Builder access(String requestId, long atMicros) {
        return new Builder(Kind.ACCESS, requestId, atMicros);
    }

    public static Builder outcome(String requestId, long atMicros) {
        return new Builder(Kind.OUTCOME, requestId, atMicros);
    }

    public static Builder change(String requestId, long atMicros) {
        return new Builder(Kind.CHANGE, requestId, atMicros).decision(Decision.APPLY, null, false, null);
    }

    /** Collects the facts of one entry; every fact is optional except the request id and the time. */
    public static final class Builder {
        private final Kind kind;
        private final String requestId;
        private final long atMicros;
        private String subject;
        private String clientId;
        private String serviceIdentity;
        private String sourceIp;
        private String tlsProtocol;
        private String tlsCipher;
        private String method;
        private String route;
        private String path;
        private String resourceType;
        private String interaction;
        private String patient;
        private Decision decision = Decision.FORWARD;
        private String reason;
        private boolean breakGlass;
        private String backend;
        private String vendor;
        private int status;
        private long bytesIn;
        private long bytesOut;
        private long durationMicros;
        private boolean aborted;
        private String before;
        private String after;

        private Builder(Kind kind, String requestId, long atMicros) {
            this.kind = kind;
            this.requestId = requestId;
            this.atMicros = atMicros;
        }

        public Builder caller(String subject, String clientId, String serviceIdentity) {
            this.subject = subject;
            this.clientId = clientId;
            this.serviceIdentity = serviceIdentity;
            return this;
        }

        public Builder connection(String sourceIp, String tlsProtocol, String tlsCipher) {
            this.sourceIp = sourceIp;
            this.tlsProtocol = tlsProtocol;
            this.tlsCipher = tlsCipher;
            return this;
        }

        public Builder request(String method, String route, String path) {
            this.method = method;
            this.route = route;
            this.path = path;
            return this;
        }

        public Builder fhir(String resourceType, String interaction, String patient) {
            this.resourceType = resourceType;
            this.interaction = interaction;
            this.patient = patient;
            return this;
        }

        public Builder decision(Decision decision, String reason, boolean breakGlass, String backend) {
            this.decision = decision;
            this.reason = reason;
            this.breakGlass = breakGlass;
            this.backend = backend;
            return this;
        }

        /** The business associate the request went to, or was refused for. */
        public Builder vendor(String businessAssociate) {
            this.vendor = businessAssociate;
            return this;
        }

        public Builder result(int status, long bytesIn, long bytesOut, long durationMicros, boolean aborted) {
            this.status = status;
            this.bytesIn = bytesIn;
            this.bytesOut = bytesOut;
            this.durationMicros = durationMicros;
            this.aborted = aborted;
            return this;
        }

        public Builder states(String itemBefore, String itemAfter) {
            this.before = itemBefore;
            this.after = itemAfter;
            return this;
        }

        public AuditEntry build() {
            return new AuditEntry(kind, null, 0, atMicros, requestId, subject, clientId, serviceIdentity, sourceIp, tlsProtocol,
                    tlsCipher, method, route, path, resourceType, interaction, patient, decision, reason, breakGlass, backend,
                    vendor, status, bytesIn, bytesOut, durationMicros, aborted, before, after, null, null);
        }
    }
}
