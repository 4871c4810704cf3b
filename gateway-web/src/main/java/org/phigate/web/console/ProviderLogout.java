// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.console;

import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.wildfly.security.http.oidc.OidcClientConfiguration;
import org.wildfly.security.http.oidc.RefreshableOidcSecurityContext;
import org.wildfly.security.http.oidc.ServerRequest;

/**
 * Ends the provider's single sign-on session of a console session that ended (sign-out, idle logoff, refusal), from
 * the server, through WildFly's OIDC client: the provider's logout endpoint with the session's refresh token and the
 * client's own credentials (the secure deployment's, so the secret is configured once). Without it the next visit would
 * be signed in again silently by the provider's cookie, and idle logoff would mean nothing. A provider that cannot be
 * reached is logged (PHIG-0133); its session then ends by its own idle limit.
 */
final class ProviderLogout {

    private static final Logger LOG = Logger.getLogger(ProviderLogout.class.getName());

    private ProviderLogout() {
    }

    /** @param context the sign-in's security context, which the OIDC client keeps current (refreshed tokens included) */
    static void end(Object context, String username) {
        OidcClientConfiguration client = context instanceof RefreshableOidcSecurityContext c ? c.getOidcClientConfiguration() : null;
        String refreshToken = context instanceof RefreshableOidcSecurityContext c ? c.getRefreshToken() : null;
        if (client == null || refreshToken == null) {
            LOG.warning(() -> "PHIG-0133 the console session of " + username + " held no refreshable sign-in: the identity provider's session "
                    + "ends by its own idle limit");
            return;
        }
        try {
            ServerRequest.invokeLogout(client, refreshToken);
            LOG.info(() -> "PHIG-0132 the identity provider ended the session of " + username);
        } catch (IOException | ServerRequest.HttpFailure e) {
            LOG.log(Level.WARNING, "PHIG-0133 the identity provider did not end the session of " + username
                    + " (check the secure deployment's provider and credential in the elytron-oidc-client subsystem)", e);
        }
    }
}
