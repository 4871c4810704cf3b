// SPDX-License-Identifier: Apache-2.0
package org.phigate.breakglass.control;

/** Where the data plane records an activation before it lets the request through; blocking, so never on an I/O thread. */
@FunctionalInterface
public interface BreakGlassLedger {

    /** @throws RuntimeException when the activation could not be made durable: the request must then be refused */
    void record(BreakGlassActivation activation);
}
