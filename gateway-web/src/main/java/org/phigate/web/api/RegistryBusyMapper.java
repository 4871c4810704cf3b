// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.api;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.phigate.route.boundary.RegistryBusy;

/** An admin change that waited too long for the one before it: 503 problem+json, nothing changed. */
@Provider
public class RegistryBusyMapper implements ExceptionMapper<RegistryBusy> {

    @Override
    public Response toResponse(RegistryBusy e) {
        return ApiProblem.of(503, "PHIG-5037", "Another registry change is still being written; nothing was changed, try again");
    }
}
