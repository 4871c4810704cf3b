// SPDX-License-Identifier: Apache-2.0
package org.phigate.route.control;

import java.util.Set;

/** What the route table says about one request: a route, no route, or a route that refuses the method. */
public sealed interface RouteMatch {

    record Matched(RouteSpec route, String remainder) implements RouteMatch {
        /** The path the backend receives, below its pool's base URI. */
        public String backendPath() {
            return route.backendPath() + remainder;
        }
    }

    record NoRoute() implements RouteMatch {
    }

    record MethodNotAllowed(RouteSpec route, Set<String> allowed) implements RouteMatch {
    }

    RouteMatch NO_ROUTE = new NoRoute();
}
