// SPDX-License-Identifier: Apache-2.0
package org.phigate.breakglass.boundary;

import jakarta.ejb.ApplicationException;

/** A review of an event that has one already: reviews are never rewritten. */
@ApplicationException(rollback = true)
public class AlreadyReviewed extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public AlreadyReviewed(String eventId) {
        super("break-glass event " + eventId + " was reviewed already");
    }
}
