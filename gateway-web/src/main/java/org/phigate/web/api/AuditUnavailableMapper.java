// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.api;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.phigate.audit.boundary.AuditUnavailable;

/** An admin change refused because it could not be recorded: 503 problem+json, nothing changed. */
@Provider
public class AuditUnavailableMapper implements ExceptionMapper<AuditUnavailable> {

    @Override
    public Response toResponse(AuditUnavailable e) {
        return ApiProblem.of(503, "PHIG-5032", "The audit store is unavailable; no change is made until it is back");
    }
}
