// SPDX-License-Identifier: Apache-2.0
package org.phigate.route.control;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Where the data plane reads the current {@link RouteTable}: one volatile read per request, no lock,
 * no database. Subscribers (the proxy, which builds its backend clients from the table) hear of each
 * new table before {@link #publish} returns.
 */
public final class RouteTableFeed {

    private final AtomicReference<RouteTable> current = new AtomicReference<>(RouteTable.empty());
    private final List<Consumer<RouteTable>> subscribers = new CopyOnWriteArrayList<>();

    public RouteTable current() {
        return current.get();
    }

    /** Subscribes and hands the subscriber the current table at once. */
    public void subscribe(Consumer<RouteTable> subscriber) {
        subscribers.add(Objects.requireNonNull(subscriber, "subscriber"));
        subscriber.accept(current.get());
    }

    public void unsubscribe(Consumer<RouteTable> subscriber) {
        subscribers.remove(subscriber);
    }

    /** Ignores a table older than the one published, so that late callers cannot roll the data plane back. */
    public synchronized void publish(RouteTable table) {
        if (table.generation() < current.get().generation()) {
            return;
        }
        current.set(table);
        subscribers.forEach(s -> s.accept(table));
    }
}
