// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.api;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import org.phigate.audit.control.ChangeOrigin;
import org.phigate.identity.Caller;

/**
 * Where an admin change comes from, for its audit entry: the caller, the source address and the endpoint (an admin API
 * call or a console page). The
 * boundaries that make the change record it (and refuse it while the audit store is down, see {@link AuditUnavailableMapper}).
 */
@RequestScoped
public class AdminChanges {

    @Inject
    HttpServletRequest request;

    public ChangeOrigin origin(Caller who) {
        return new ChangeOrigin(who.username().isEmpty() ? who.subject() : who.subject() + " (" + who.username() + ")", who.clientId(),
                request.getRemoteAddr(), request.getMethod(), request.getRequestURI());
    }
}
