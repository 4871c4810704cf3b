// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.proxy;

import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.proxy.ProxyCallback;
import io.undertow.server.handlers.proxy.ProxyClient;
import io.undertow.server.handlers.proxy.ProxyConnection;
import io.undertow.util.WorkerUtils;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.xnio.IoUtils;
import org.xnio.XnioExecutor;

/**
 * Bounds the time to get a backend connection (the route's connect timeout), which the proxy client does
 * not do by itself. When the deadline passes first, the attempt counts as failed (the proxy may try another
 * backend) and a connection that still arrives later is closed, never used.
 */
final class ConnectDeadline implements ProxyClient {

    private final ProxyClient delegate;
    private final long millis;

    ConnectDeadline(ProxyClient delegate, long millis) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.millis = millis;
    }

    @Override
    public ProxyTarget findTarget(HttpServerExchange exchange) {
        return delegate.findTarget(exchange);
    }

    @Override
    public List<ProxyTarget> getAllTargets() {
        return delegate.getAllTargets();
    }

    @Override
    public void getConnection(ProxyTarget target, HttpServerExchange exchange, ProxyCallback<ProxyConnection> callback,
                              long timeout, TimeUnit timeUnit) {
        AtomicBoolean settled = new AtomicBoolean();
        XnioExecutor.Key deadline = WorkerUtils.executeAfter(exchange.getIoThread(), () -> {
            if (settled.compareAndSet(false, true)) {
                callback.failed(exchange);
            }
        }, millis, TimeUnit.MILLISECONDS);
        Runnable stopClock = deadline::remove;
        delegate.getConnection(target, exchange, new ProxyCallback<>() {
            @Override
            public void completed(HttpServerExchange ex, ProxyConnection connection) {
                if (!settle(settled, stopClock, () -> callback.completed(ex, connection))) {
                    IoUtils.safeClose(connection.getConnection());
                }
            }

            @Override
            public void failed(HttpServerExchange ex) {
                settle(settled, stopClock, () -> callback.failed(ex));
            }

            @Override
            public void queuedRequestFailed(HttpServerExchange ex) {
                settle(settled, stopClock, () -> callback.queuedRequestFailed(ex));
            }

            @Override
            public void couldNotResolveBackend(HttpServerExchange ex) {
                settle(settled, stopClock, () -> callback.couldNotResolveBackend(ex));
            }
        }, timeout, timeUnit);
    }

    /** Runs the outcome if it is the first of the attempt (the deadline or the pool's answer); false if too late. */
    private static boolean settle(AtomicBoolean settled, Runnable stopClock, Runnable outcome) {
        if (!settled.compareAndSet(false, true)) {
            return false;
        }
        stopClock.run();
        outcome.run();
        return true;
    }
}
