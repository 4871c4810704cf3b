// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.api;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.phigate.identity.Caller;
import org.phigate.identity.TokenRejection;
import org.phigate.identity.TokenVerifier;
import org.phigate.identity.TokenVerifier.Result;
import org.phigate.web.proxy.IssuerKeys;
import org.phigate.web.proxy.OidcSettings;

/**
 * Bearer authentication and role checks for the admin API, with the same verifier and issuer as the data
 * plane. Every resource method must carry {@link Allowed}; one without it is refused, so a new endpoint
 * can never be open by omission. The health endpoint is the one exception, marked {@link Public}.
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class AdminAuthentication implements ContainerRequestFilter {

    private static final Logger LOG = Logger.getLogger(AdminAuthentication.class.getName());
    private static volatile Verification verification;

    @Context
    ResourceInfo resource;

    /** The verifier and the issuer's keys, made once for the deployment. */
    private record Verification(TokenVerifier verifier, IssuerKeys keys) {
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (resource.getResourceMethod().isAnnotationPresent(Public.class)) {
            return;
        }
        List<String> allowed = allowedRoles();
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() < 8) {
            request.abortWith(unauthorized("PHIG-4011", "Authentication required", "Bearer realm=\"phigate\""));
            return;
        }
        Result result;
        try {
            result = verify(header.substring(7).trim());
        } catch (GeneralSecurityException e) {
            request.abortWith(ApiProblem.of(503, "PHIG-5030", "The admin API has no token issuer configured"));
            return;
        }
        if (result instanceof Result.Rejected rejected) {
            LOG.info(() -> rejected.why().code + " admin API token refused: " + rejected.why().reason);
            request.abortWith(unauthorized("PHIG-4012", "The bearer token is not valid", "Bearer realm=\"phigate\", error=\"invalid_token\""));
            return;
        }
        Caller caller = ((Result.Verified) result).caller();
        if (allowed.stream().noneMatch(caller::hasRole)) {
            LOG.info(() -> "PHIG-4036 admin API refused " + caller + ": needs one of " + allowed);
            request.abortWith(ApiProblem.of(403, "PHIG-4030", "The caller may not use this endpoint",
                    java.util.Map.of("reason", "PHIG-4036")));
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

    private static Result verify(String token) throws GeneralSecurityException {
        Verification v = verification();
        Result result = v.verifier().verify(token, v.keys().current(), Clock.systemUTC().instant());
        if (result instanceof Result.Rejected r && r.why() == TokenRejection.UNKNOWN_KEY) {
            try {
                v.keys().refresh().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                return result;
            }
            result = v.verifier().verify(token, v.keys().current(), Clock.systemUTC().instant());
        }
        return result;
    }

    private static Verification verification() throws GeneralSecurityException {
        Verification v = verification;
        if (v == null) {
            synchronized (AdminAuthentication.class) {
                if (verification == null) {
                    OidcSettings oidc = OidcSettings.fromSystemProperties();
                    verification = new Verification(oidc.verifier(), IssuerKeys.of(oidc.issuer(), oidc.jwksUri()));
                }
                v = verification;
            }
        }
        return v;
    }

    private static jakarta.ws.rs.core.Response unauthorized(String code, String title, String challenge) {
        return jakarta.ws.rs.core.Response.fromResponse(ApiProblem.of(401, code, title))
                .header(HttpHeaders.WWW_AUTHENTICATE, challenge).build();
    }
}
