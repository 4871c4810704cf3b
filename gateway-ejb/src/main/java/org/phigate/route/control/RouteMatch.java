// SPDX-License-Identifier: Apache-2.0
package org.phigate.route.control;

import java.util.Optional;
import java.util.Set;
import org.phigate.vendor.control.VendorSpec;

/** What the route table says about one request: a route, no route, or a route that refuses the method. */
public sealed interface RouteMatch {

    /** @param vendor the business associate the route or its pool is linked to, as the same table holds it */
    record Matched(RouteSpec route, String remainder, Optional<VendorSpec> vendor) implements RouteMatch {

        public Matched(RouteSpec route, String remainder) {
            this(route, remainder, Optional.empty());
        }

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
