// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.api;

import jakarta.annotation.Priority;
import jakarta.servlet.ServletContext;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.phigate.identity.Caller;
import org.phigate.identity.TokenRejection;
import org.phigate.identity.TokenVerifier.Result;
import org.phigate.web.proxy.BearerTokens;

/**
 * Bearer authentication and role checks for the admin API, with the data plane's own {@link BearerTokens}
 * (one verifier, one key cache per deployment). Every resource method must carry {@link Allowed}; one without
 * it is refused, so a new endpoint can never be open by omission. The health endpoint is the one exception,
 * marked {@link Public}. Runs on a worker thread, so it may wait for a key refresh.
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class AdminAuthentication implements ContainerRequestFilter {

    private static final Logger LOG = Logger.getLogger(AdminAuthentication.class.getName());

    @Context
    ResourceInfo resource;

    @Context
    ServletContext servletContext;

    @Override
    public void filter(ContainerRequestContext request) {
        if (resource.getResourceMethod().isAnnotationPresent(Public.class)) {
            return;
        }
        String token = BearerTokens.fromHeader(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (token.isEmpty()) {
            request.abortWith(unauthorized("PHIG-4011", "Authentication required", "Bearer realm=\"phigate\""));
            return;
        }
        Object tokens = servletContext.getAttribute(BearerTokens.ATTRIBUTE);
        if (!(tokens instanceof BearerTokens bearer)) {
            request.abortWith(ApiProblem.of(503, "PHIG-5030", "The admin API has no token issuer configured"));
            return;
        }
        Result result = verify(bearer, token);
        if (result instanceof Result.Rejected rejected) {
            LOG.info(() -> rejected.why().code + " admin API token refused: " + rejected.why().reason);
            request.abortWith(unauthorized("PHIG-4012", "The bearer token is not valid", "Bearer realm=\"phigate\", error=\"invalid_token\""));
            return;
        }
        Caller caller = ((Result.Verified) result).caller();
        List<String> allowed = allowedRoles();
        if (allowed.stream().noneMatch(caller::hasRole)) {
            LOG.info(() -> "PHIG-4036 admin API refused " + caller + ": needs one of " + allowed);
            request.abortWith(ApiProblem.of(403, "PHIG-4030", "The caller may not use this endpoint", Map.of("reason", "PHIG-4036")));
            return;
        }
        request.setSecurityContext(new CallerSecurity(caller));
    }

    private List<String> allowedRoles() {
        Allowed onMethod = resource.getResourceMethod().getAnnotation(Allowed.class);
        Allowed onClass = resource.getResourceClass().getAnnotation(Allowed.class);
        Allowed allowed = onMethod != null ? onMethod : onClass;
        return allowed == null ? List.of() : Arrays.asList(allowed.value());
    }

    private static Result verify(BearerTokens tokens, String token) {
        Result result = tokens.verify(token);
        if (result instanceof Result.Rejected r && r.why() == TokenRejection.UNKNOWN_KEY) {
            try {
                tokens.refreshKeys().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                return result;
            }
            result = tokens.verify(token);
        }
        return result;
    }

    private static Response unauthorized(String code, String title, String challenge) {
        return Response.fromResponse(ApiProblem.of(401, code, title)).header(HttpHeaders.WWW_AUTHENTICATE, challenge).build();
    }
}
