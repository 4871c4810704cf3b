// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.console;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import org.wildfly.security.http.oidc.OidcPrincipal;

/**
 * The console pages' Content-Security-Policy, which PrimeFaces sends with the nonce of each response appended to
 * {@code script-src} (its CSP mode, web.xml): scripts only from the server or with that nonce, no framing, forms
 * posting only to the console or, when a post finds its session ended, to the provider that signs in again (its origin
 * is the signed-in token's issuer).
 */
@Named("contentSecurityPolicy")
@RequestScoped
public class ContentSecurityPolicy {

    @Inject
    HttpServletRequest request;

    /** Must end with {@code script-src} and its sources: PrimeFaces appends {@code 'nonce-...';}. */
    public String getForFaces() {
        String provider = "";
        if (request.getUserPrincipal() instanceof OidcPrincipal<?> principal && principal.getOidcSecurityContext() != null) {
            URI issuer = URI.create(principal.getOidcSecurityContext().getToken().getIssuer());
            provider = " " + issuer.getScheme() + "://" + issuer.getAuthority();
        }
        return "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; font-src 'self' data:; object-src 'none'; "
                + "base-uri 'self'; frame-ancestors 'none'; form-action 'self'" + provider + "; connect-src 'self'; script-src 'self'";
    }
}
