// SPDX-License-Identifier: Apache-2.0
/**
 * The data plane: Undertow handlers that run on the I/O thread for requests that arrive on the data-plane
 * listener, one concern each, composed by passing {@code next}. They read immutable snapshots only;
 * nothing here touches the database or blocks.
 */
package org.phigate.web.proxy;
