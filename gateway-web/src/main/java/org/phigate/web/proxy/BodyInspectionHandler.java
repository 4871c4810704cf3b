// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.proxy;

import io.undertow.connector.PooledByteBuffer;
import io.undertow.io.IoCallback;
import io.undertow.io.Sender;
import io.undertow.server.Connectors;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpContinue;
import io.undertow.util.Headers;
import io.undertow.util.ImmediatePooledByteBuffer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Logger;
import org.phigate.waf.control.Finding;
import org.phigate.waf.control.RequestParts;
import org.phigate.waf.control.WafPolicy;
import org.xnio.channels.StreamSourceChannel;

/**
 * The WAF on the request body, for an authenticated and authorized caller: the body is read into memory up to the
 * route's limit, inspected by its media type, and handed back to the exchange, so the proxy forwards exactly the
 * bytes that were inspected. A body over the limit is refused with 413 before a byte of it is forwarded, unless
 * the route passes oversized bodies (then it streams through uninspected and the audit record says PHIG-WAF-1014).
 * The body is read without blocking: what is not there yet is waited for by a read listener on the I/O thread; a
 * large body is inspected on a worker thread.
 */
final class BodyInspectionHandler implements HttpHandler {

    private static final Logger LOG = Logger.getLogger(BodyInspectionHandler.class.getName());
    static final String OVER_LIMIT = "PHIG-WAF-1014";
    static final String UNREADABLE = "PHIG-WAF-1013";
    /** A refused body up to this size is read and thrown away so the client sees the answer; a larger one closes the connection. */
    private static final long DRAIN_LIMIT = 16L << 20;
    /** Bodies larger than this are inspected on a worker thread. */
    static final int WORKER_THRESHOLD = 64 * 1024;

    private final Inspections inspections;
    private final HttpHandler next;

    BodyInspectionHandler(Inspections inspections, HttpHandler next) {
        this.inspections = Objects.requireNonNull(inspections, "inspections");
        this.next = Objects.requireNonNull(next, "next");
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        WafPolicy policy = Inspections.policy(exchange);
        if (policy.mode() == WafPolicy.Mode.OFF || !hasBody(exchange)) {
            next.handleRequest(exchange);
            return;
        }
        long declared = exchange.getRequestContentLength();
        if (declared > policy.bodyLimit()) {
            overLimit(exchange, policy, declared);
            return;
        }
        if (HttpContinue.requiresContinueResponse(exchange)) {
            HttpContinue.sendContinueResponse(exchange, new IoCallback() {
                @Override
                public void onComplete(HttpServerExchange ex, Sender sender) {
                    new Body(ex, policy).read();
                }

                @Override
                public void onException(HttpServerExchange ex, Sender sender, IOException e) {
                    ex.endExchange();
                }
            });
            return;
        }
        new Body(exchange, policy).read();
    }

    /** One request's body as it arrives: read until the end, or until it passes the limit. */
    private final class Body {
        private final HttpServerExchange exchange;
        private final WafPolicy policy;
        private final StreamSourceChannel channel;
        /** Read into directly; one byte more than the limit, at most, so that a read past the limit is seen. */
        private byte[] bytes;
        private int length;
        /** Whether the body has been waited for: the chain then goes on as a new root handler, not within this call. */
        private boolean waited;

        Body(HttpServerExchange exchange, WafPolicy policy) {
            this.exchange = exchange;
            this.policy = policy;
            this.channel = exchange.getRequestChannel();
            long declared = exchange.getRequestContentLength();
            this.bytes = new byte[(int) Math.min(policy.bodyLimit() + 1, declared >= 0 ? declared + 1 : 16 * 1024)];
        }

        /** Reads what is there; returns to the I/O thread when it must wait, and is called again by the read listener. */
        void read() {
            try {
                while (true) {
                    if (length == bytes.length) {
                        bytes = Arrays.copyOf(bytes, (int) Math.min(policy.bodyLimit() + 1, bytes.length * 2L));
                    }
                    int n = channel.read(ByteBuffer.wrap(bytes, length, bytes.length - length));
                    if (n == -1) {
                        channel.getReadSetter().set(null);
                        channel.suspendReads();
                        then(ex -> finished());
                        return;
                    }
                    if (n == 0) {
                        waited = true;
                        channel.getReadSetter().set(c -> read());
                        channel.resumeReads();
                        return;
                    }
                    length += n;
                    if (length > policy.bodyLimit()) {
                        channel.getReadSetter().set(null);
                        channel.suspendReads();
                        then(ex -> refuseOverLimit(ex, length));
                        return;
                    }
                }
            } catch (IOException e) {
                channel.getReadSetter().set(null);
                LOG.fine(() -> "PHIG-4990 request " + exchange.getAttachment(DataPlaneAttachments.REQUEST_ID) + ": the body could not be read: " + e);
                exchange.setPersistent(false);
                then(ex -> Problem.MALFORMED.send(ex, UNREADABLE));
            }
        }

        /**
         * Goes on with the exchange: within this call when the body was all there, or as a new root handler when it
         * was waited for, so that what the next stages dispatch is run.
         */
        private void then(HttpHandler step) {
            if (waited) {
                Connectors.executeRootHandler(step, exchange);
                return;
            }
            try {
                step.handleRequest(exchange);
            } catch (Exception e) {
                LOG.severe(() -> "PHIG-5000 request " + exchange.getAttachment(DataPlaneAttachments.REQUEST_ID) + " failed after inspection: " + e);
                Problem.INTERNAL.send(exchange);
            }
        }

        /**
         * Inspects the body: on the I/O thread when it is small, on a worker thread when it is over
         * {@link #WORKER_THRESHOLD} (a 1 MiB Bundle takes tens of milliseconds, which must not stall the other
         * connections of the I/O thread); then goes on on the I/O thread either way.
         */
        private void finished() throws Exception {
            String contentType = exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE);
            RequestParts parts = new RequestParts(exchange.getRequestMethod().toString(), "/", "", List.of(), contentType, bytes, length);
            if (length <= WORKER_THRESHOLD) {
                inspected(inspections.waf().inspect(parts, policy));
                return;
            }
            exchange.dispatch(exchange.getConnection().getWorker(), () -> {
                Optional<Finding> finding = inspections.waf().inspect(parts, policy);
                exchange.getIoThread().execute(() -> Connectors.executeRootHandler(ex -> inspected(finding), exchange));
            });
        }

        private void inspected(Optional<Finding> finding) throws Exception {
            if (!inspections.apply(exchange, finding, policy)) {
                return;
            }
            Connectors.ungetRequestBytes(exchange, new PooledByteBuffer[] {new ImmediatePooledByteBuffer(ByteBuffer.wrap(bytes, 0, length))});
            Connectors.resetRequestChannel(exchange);
            next.handleRequest(exchange);
        }
    }

    private void overLimit(HttpServerExchange exchange, WafPolicy policy, long declared) throws Exception {
        if (policy.passOversized() || policy.mode() == WafPolicy.Mode.DETECT) {
            Inspections.note(exchange, OVER_LIMIT);
            next.handleRequest(exchange);
            return;
        }
        exchange.setMaxEntitySize(DRAIN_LIMIT);
        refuseOverLimit(exchange, declared);
    }

    /** 413; a body that is not too large is read and discarded after the answer, so the client sees the answer. */
    private void refuseOverLimit(HttpServerExchange exchange, long size) {
        if (size > DRAIN_LIMIT) {
            exchange.setPersistent(false);
        }
        Inspections.refuse(exchange, new Finding(inspections.waf().rules().rule(OVER_LIMIT), "body"));
    }

    private static boolean hasBody(HttpServerExchange exchange) {
        return !Boolean.FALSE.equals(exchange.getAttachment(DataPlaneAttachments.HAS_BODY));
    }
}
