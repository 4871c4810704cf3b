// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.console;

import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.context.ExternalContext;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.Optional;
import org.phigate.audit.control.ChangeOrigin;
import org.phigate.web.api.AdminChanges;

/** Who is signed in to the console, what they may do, and signing out. */
@Named("console")
@RequestScoped
public class Console {

    @Inject
    HttpServletRequest request;

    @Inject
    AdminChanges changes;

    public String getUsername() {
        return signIn().map(SignIn::username).orElse("");
    }

    public String getRoles() {
        return signIn().map(s -> String.join(", ", s.roles().stream().sorted().toList())).orElse("");
    }

    public boolean isAdmin() {
        return signIn().map(s -> s.may("gateway-admin")).orElse(false);
    }

    /** The audit trail is the auditor's, as in the admin API (the demo's admin holds both roles). */
    public boolean canReadAudit() {
        return signIn().map(s -> s.may("gateway-auditor")).orElse(false);
    }

    public boolean isPrivacyOfficer() {
        return signIn().map(s -> s.may("privacy-officer")).orElse(false);
    }

    /** The idle limit in milliseconds, for the page's idle monitor; the server's session limit is what enforces it. */
    public long getIdleMillis() {
        HttpSession session = request.getSession(false);
        return session == null ? ConsoleSettings.DEFAULT_IDLE_TIMEOUT.toMillis() : session.getMaxInactiveInterval() * 1000L;
    }

    /** Ends the console session, and with it the provider's session (see {@link SessionEnd}). */
    public void signOut() throws IOException {
        ExternalContext external = FacesContext.getCurrentInstance().getExternalContext();
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.setAttribute(SignIn.ENDED_BY, "signed out");
            session.invalidate();
        }
        external.redirect("/signed-out.html");
    }

    /** The signed-in administrator, if the session holds gateway-admin: who may change the registry. */
    Optional<SignIn> admin() {
        return signIn().filter(s -> s.may("gateway-admin"));
    }

    /** Where a change made on this page comes from, for its audit entry: as the admin API records it, with the console's client. */
    ChangeOrigin origin(SignIn who) {
        return changes.origin(who.caller());
    }

    Optional<SignIn> signIn() {
        HttpSession session = request.getSession(false);
        return session != null && session.getAttribute(SignIn.ATTRIBUTE) instanceof SignIn s ? Optional.of(s) : Optional.empty();
    }
}
