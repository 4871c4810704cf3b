// SPDX-License-Identifier: Apache-2.0
/**
 * Routes and backend pools: which path prefix goes to which backends.
 * The registry is JPA (entity), published to the data plane as an immutable {@code RouteTable} (control)
 * swapped after each committed change, so that no request ever waits on the database (boundary).
 */
package org.phigate.route;
