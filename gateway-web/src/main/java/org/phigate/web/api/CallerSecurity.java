// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.api;

import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;
import org.phigate.identity.Caller;

/** The authenticated admin API caller as JAX-RS sees it: the principal names the token's subject. */
record CallerSecurity(Caller caller) implements SecurityContext {

    record CallerPrincipal(Caller caller) implements Principal {
        @Override
        public String getName() {
            return caller.subject();
        }
    }

    static Caller of(SecurityContext security) {
        return ((CallerPrincipal) security.getUserPrincipal()).caller();
    }

    @Override
    public Principal getUserPrincipal() {
        return new CallerPrincipal(caller);
    }

    @Override
    public boolean isUserInRole(String role) {
        return caller.hasRole(role);
    }

    @Override
    public boolean isSecure() {
        return true;
    }

    @Override
    public String getAuthenticationScheme() {
        return "Bearer";
    }
}
