// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.console;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

/**
 * The console pages' Content-Security-Policy, which PrimeFaces sends with the nonce of each response appended to
 * {@code script-src} (its CSP mode, web.xml): scripts only from the server or with that nonce, no framing, forms
 * posting only to the console or, for sign-out, to the OpenID provider.
 */
@Named("contentSecurityPolicy")
@ApplicationScoped
public class ContentSecurityPolicy {

    /** Must end with {@code script-src} and its sources: PrimeFaces appends {@code 'nonce-...';}. */
    public String getForFaces() {
        String provider = ConsoleSettings.providerFromSystem()
                .map(uri -> " " + uri.getScheme() + "://" + uri.getAuthority()).orElse("");
        return "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; font-src 'self' data:; object-src 'none'; "
                + "base-uri 'self'; frame-ancestors 'none'; form-action 'self'" + provider + "; connect-src 'self'; script-src 'self'";
    }
}
