// SPDX-License-Identifier: Apache-2.0
package org.phigate.audit.boundary;

import jakarta.ejb.ApplicationException;

/** An admin change refused because the audit store cannot take its record now: no change without its record. */
@ApplicationException(rollback = true)
public class AuditUnavailable extends RuntimeException {

    public AuditUnavailable() {
        super("PHIG-5032 the audit store is unavailable; no change is made until it is back");
    }
}
