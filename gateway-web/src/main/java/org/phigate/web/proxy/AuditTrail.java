// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.proxy;

import io.undertow.server.Connectors;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.SSLSessionInfo;
import io.undertow.util.SameThreadExecutor;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Logger;
import org.phigate.audit.control.AuditClock;
import org.phigate.audit.control.AuditEntry;
import org.phigate.audit.control.Journal;
import org.phigate.audit.control.RedactedRequest;
import org.phigate.identity.Caller;
import org.phigate.route.control.RouteMatch;
import org.phigate.vendor.control.VendorSpec;

/**
 * Turns a data-plane exchange into audit entries (164.312(b)), none of which holds PHI. Every request gets one
 * access entry that is durable before the client hears anything or the backend receives anything: a forwarded
 * request's before it is forwarded ({@link JournalHandler}), a refused one's before the refusal is sent
 * ({@link Problem#send}); a forwarded request adds its outcome when it ends. What ends otherwise (an exception,
 * a client gone before a decision, a connection the parser closed) is recorded when the exchange completes, and
 * then nothing more: one request, one outcome, even when a stage that was still reading answers after the end.
 */
final class AuditTrail {

    private static final Logger LOG = Logger.getLogger(AuditTrail.class.getName());

    private final Journal journal;
    private final Traffic traffic;

    AuditTrail(Journal journal, Traffic traffic) {
        this.journal = Objects.requireNonNull(journal, "journal");
        this.traffic = Objects.requireNonNull(traffic, "traffic");
    }

    /** Where the exchange stands in the trail; kept on the exchange. */
    static final class State {
        final AuditTrail trail;
        final long startNanos = System.nanoTime();
        final long atMicros = AuditClock.nowMicros();
        long bytesIn;
        boolean brokeGlass;
        /** A WAF rule that matched in detect mode, or PHIG-WAF-1014 for a body passed uninspected: kept in the record. */
        String inspection;
        Recorded recorded = Recorded.NOTHING;

        State(AuditTrail trail) {
            this.trail = trail;
        }
    }

    enum Recorded {
        NOTHING, FORWARDED, FINAL
    }

    void begin(HttpServerExchange exchange) {
        State state = new State(this);
        exchange.putAttachment(DataPlaneAttachments.AUDIT, state);
        exchange.addRequestWrapper((factory, ex) -> new CountingSourceConduit(factory.create(), n -> state.bytesIn += n, () -> { }));
        exchange.addExchangeCompleteListener((ex, next) -> {
            try {
                completed(ex, state);
            } finally {
                next.proceed();
            }
        });
    }

    /** The access entry of a request about to be forwarded; the caller awaits it. */
    CompletableFuture<Void> forwarding(HttpServerExchange exchange) {
        String inspection = exchange.getAttachment(DataPlaneAttachments.AUDIT).inspection;
        return journal.append(access(exchange, AuditEntry.Decision.FORWARD, inspection, 0, 0).build(), true);
    }

    void forwarded(HttpServerExchange exchange) {
        exchange.getAttachment(DataPlaneAttachments.AUDIT).recorded = Recorded.FORWARDED;
    }

    /**
     * Records the gateway's own answer, then sends it. If the record cannot be written the answer is sent all the
     * same (a refusal moves no PHI) and the loss is logged.
     */
    void answering(HttpServerExchange exchange, int status, String reason, long bytesOut, Runnable send) {
        State state = exchange.getAttachment(DataPlaneAttachments.AUDIT);
        if (state.recorded == Recorded.FINAL) {
            return;
        }
        state.recorded = Recorded.FINAL;
        AuditEntry.Decision decision = status >= 500 ? AuditEntry.Decision.FAIL : AuditEntry.Decision.REFUSE;
        CompletableFuture<Void> durable = journal.append(access(exchange, decision, reason, status, bytesOut).build(), true);
        if (durable.isDone() && !durable.isCompletedExceptionally()) {
            send.run();
            return;
        }
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> durable.whenComplete((done, failure) -> {
            if (failure != null) {
                LOG.severe(() -> "PHIG-5033 the answer to request " + exchange.getAttachment(DataPlaneAttachments.REQUEST_ID)
                        + " (" + status + " " + reason + ") was sent without its audit record: " + failure.getMessage());
            }
            exchange.getIoThread().execute(() -> Connectors.executeRootHandler(ex -> send.run(), exchange));
        }));
    }

    private void completed(HttpServerExchange exchange, State state) {
        long micros = (System.nanoTime() - state.startNanos) / 1000;
        boolean aborted = !exchange.isResponseComplete();
        int status = exchange.getStatusCode();
        traffic.count(state.recorded == Recorded.FORWARDED ? Traffic.Fate.FORWARDED
                : status >= 500 || aborted ? Traffic.Fate.FAILED : Traffic.Fate.REFUSED);
        if (state.recorded == Recorded.FORWARDED) {
            AuditEntry outcome = AuditEntry.outcome(exchange.getAttachment(DataPlaneAttachments.REQUEST_ID), AuditClock.nowMicros())
                    .result(status, state.bytesIn, exchange.getResponseBytesSent(), micros, aborted).build();
            journal.append(outcome, false).exceptionally(e -> lost(exchange, e));
        } else if (state.recorded == Recorded.NOTHING) {
            state.recorded = Recorded.FINAL;
            if (aborted && !exchange.isResponseStarted()) {
                status = 0;
            }
            AuditEntry.Decision decision = status >= 500 || aborted ? AuditEntry.Decision.FAIL : AuditEntry.Decision.REFUSE;
            journal.append(access(exchange, decision, aborted ? "PHIG-4990" : null, status, exchange.getResponseBytesSent())
                    .result(status, state.bytesIn, exchange.getResponseBytesSent(), micros, aborted).build(), false)
                    .exceptionally(e -> lost(exchange, e));
        }
    }

    private static Void lost(HttpServerExchange exchange, Throwable e) {
        LOG.severe(() -> "PHIG-5033 the outcome of request " + exchange.getAttachment(DataPlaneAttachments.REQUEST_ID)
                + " could not be recorded: " + e.getMessage());
        return null;
    }

    private AuditEntry.Builder access(HttpServerExchange exchange, AuditEntry.Decision decision, String reason, int status, long bytesOut) {
        State state = exchange.getAttachment(DataPlaneAttachments.AUDIT);
        AuditEntry.Builder entry = AuditEntry.access(exchange.getAttachment(DataPlaneAttachments.REQUEST_ID), state.atMicros);
        Caller caller = exchange.getAttachment(DataPlaneAttachments.CALLER);
        if (caller != null) {
            entry.caller(caller.subject(), caller.clientId(), caller.serviceIdentity().isEmpty() ? null : caller.serviceIdentity());
        }
        SSLSessionInfo tls = exchange.getConnection().getSslSessionInfo();
        InetSocketAddress source = exchange.getSourceAddress();
        entry.connection(source == null ? null : source.getAddress().getHostAddress(),
                tls == null || tls.getSSLSession() == null ? null : tls.getSSLSession().getProtocol(), tls == null ? null : tls.getCipherSuite());
        String method = exchange.getRequestMethod().toString();
        RouteMatch.Matched match = exchange.getAttachment(DataPlaneAttachments.ROUTE);
        if (match == null) {
            entry.request(method, null, null);
        } else {
            RedactedRequest redacted = RedactedRequest.of(match.route().prefix(), method, match.remainder(), exchange.getQueryString(),
                    DataPlaneAttachments.fhir(exchange), match.route().auditParameters(), journal.pseudonyms());
            entry.vendor(match.vendor().map(VendorSpec::name).orElse(null)).request(method, match.route().name(), redacted.path())
                    .fhir(redacted.resourceType(), redacted.interaction(), redacted.patients().isEmpty() ? null : redacted.patients());
        }
        long micros = (System.nanoTime() - state.startNanos) / 1000;
        return entry.decision(decision, reason, state.brokeGlass, match == null ? null : match.route().pool())
                .result(status, state.bytesIn, bytesOut, decision == AuditEntry.Decision.FORWARD ? 0 : micros, false);
    }
}
