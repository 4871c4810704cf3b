// SPDX-License-Identifier: Apache-2.0
/**
 * Emergency access (164.312(a)(2)(ii)): a caller with the break-glass role who states why may pass a route's
 * policy where the route allows it, for a bounded time. Every activation is a durable event that stays open
 * until a privacy officer reviews it.
 */
package org.phigate.breakglass;
