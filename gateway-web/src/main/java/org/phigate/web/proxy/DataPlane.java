// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.proxy;

import io.undertow.server.HttpHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.phigate.audit.control.Journal;
import org.phigate.breakglass.control.BreakGlassLedger;
import org.phigate.certificate.control.PoolTlsMaterial;
import org.phigate.route.control.RouteTableFeed;
import org.phigate.waf.control.Waf;
import org.phigate.waf.control.WafRules;

/**
 * The data-plane chain, assembled in one place so that WildFly (through {@link DataPlaneExtension}) and the
 * chain tests (on an embedded Undertow) run exactly the same handlers in the same order.
 */
public final class DataPlane {

    private final Backends backends;
    private final HttpHandler chain;
    private final Traffic traffic;

    /**
     * @param journal where the audit trail goes; empty only for the benchmark's audit-off run
     *                ({@link DataPlaneExtension#AUDIT_OFF}), which records nothing and says so loudly
     */
    public DataPlane(SSLContext backendTls, BearerTokens tokens, BreakGlassLedger ledger, Duration breakGlassWindow,
                     Optional<Journal> journal) {
        this(backendTls, tokens, ledger, breakGlassWindow, journal, Clock.systemUTC());
    }

    /** @param clock the time of each request, against which break-glass windows and business associate agreements are read */
    public DataPlane(SSLContext backendTls, BearerTokens tokens, BreakGlassLedger ledger, Duration breakGlassWindow,
                     Optional<Journal> journal, Clock clock) {
        this(backendTls, (trust, client) -> Optional.empty(), tokens, ledger, breakGlassWindow, journal, clock);
    }

    /** @param tlsMaterial the certificate inventory, where the CAs and client certificates that pools name are looked up */
    public DataPlane(SSLContext backendTls, PoolTlsMaterial.Source tlsMaterial, BearerTokens tokens, BreakGlassLedger ledger,
                     Duration breakGlassWindow, Optional<Journal> journal, Clock clock) {
        this.backends = new Backends(Objects.requireNonNull(backendTls, "backendTls"), tlsMaterial, clock);
        this.traffic = new Traffic(clock);
        Optional<AuditTrail> trail = journal.map(j -> new AuditTrail(j, traffic));
        HttpHandler proxy = new BackendProxyHandler(backends);
        HttpHandler journaled = trail.<HttpHandler>map(t -> new JournalHandler(t, proxy)).orElse(proxy);
        Inspections inspections = new Inspections(new Waf(WafRules.builtIn()));
        HttpHandler admitted = new AdmissionHandler(backends, journaled);
        HttpHandler inspected = new BodyInspectionHandler(inspections, admitted);
        HttpHandler routed = new RouteMatchHandler(backends::table,
                new ForwardedHeadersHandler(
                        new WafHandler(inspections,
                                new AuthenticateHandler(tokens, backends::table,
                                        new AuthorizeHandler(ledger, new BreakGlassWindows(breakGlassWindow), clock,
                                                new BaaGateHandler(clock, inspected))))));
        HttpHandler limited = new RequestLimitsHandler(RequestLimitsHandler.Limits.fromSystemProperties(), routed);
        this.chain = new RequestIdHandler(trail.<HttpHandler>map(t -> new AuditHandler(t, limited)).orElse(limited));
    }

    /** Follows the registry: every table the feed publishes is compiled into proxies before it serves. */
    public DataPlane follow(RouteTableFeed feed) {
        feed.subscribe(backends);
        return this;
    }

    public void stopFollowing(RouteTableFeed feed) {
        feed.unsubscribe(backends);
        backends.close();
    }

    public HttpHandler handler() {
        return chain;
    }

    /** Every pool of the table in service and the state of its backends. */
    public java.util.List<PoolStatus> pools() {
        return backends.pools().values().stream().map(PoolStatus::of)
                .sorted(java.util.Comparator.comparing(PoolStatus::name)).toList();
    }

    /** Requests per minute by fate, counted as the audit trail records them (none while auditing is off for a benchmark). */
    public Traffic traffic() {
        return traffic;
    }

    /** The pools as the proxy uses them: their backends' state, for the admin API and the tests. */
    Backends backends() {
        return backends;
    }
}
