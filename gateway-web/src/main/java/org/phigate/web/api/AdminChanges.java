// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.api;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.phigate.audit.boundary.AuditJournal;
import org.phigate.config.RegistryDocument;
import org.phigate.identity.Caller;

/**
 * Every admin change goes into the audit chain (164.312(b)): who, from where, which endpoint, the item before and
 * after. A change is refused while the audit store is down, so that none is made without its record.
 */
@RequestScoped
public class AdminChanges {

    @EJB
    AuditJournal journal;

    @Inject
    HttpServletRequest request;

    /** The answer to give instead of making the change, while it could not be recorded. */
    Optional<Response> refusedWhileUnaudited() {
        return journal.storeUp() ? Optional.empty()
                : Optional.of(ApiProblem.of(503, "PHIG-5032", "The audit store is unavailable; no change is made until it is back"));
    }

    /** @param before the item before, or null; @param after the item after, or null (both become JSON) */
    void record(Caller who, String item, Object before, Object after) {
        journal.recordChange(who.username().isEmpty() ? who.subject() : who.subject() + " (" + who.username() + ")", who.clientId(),
                request.getRemoteAddr(), request.getMethod(), request.getRequestURI(), item,
                RegistryDocument.json(before), RegistryDocument.json(after));
    }
}
