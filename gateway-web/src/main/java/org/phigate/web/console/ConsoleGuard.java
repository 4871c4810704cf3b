// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.console;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.wildfly.security.http.oidc.IDToken;
import org.wildfly.security.http.oidc.OidcPrincipal;
import org.wildfly.security.http.oidc.OidcSecurityContext;

/**
 * The console's own door, behind the container's sign-in (web.xml admits only the console roles): the first request
 * of a session must carry tokens that show a second factor, or the session ends at once with 403 PHIG-4037 and the
 * provider's session with it. An admitted session gets the idle limit of {@code phigate.console.idle-timeout}.
 */
@WebFilter(urlPatterns = "/console/*")
public class ConsoleGuard extends HttpFilter {

    static final List<String> CONSOLE_ROLES = List.of("gateway-admin", "gateway-auditor", "privacy-officer");
    private static final Logger LOG = Logger.getLogger(ConsoleGuard.class.getName());

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain) throws IOException, ServletException {
        HttpSession session = request.getSession(false);
        Optional<OidcSecurityContext> context = oidc(request.getUserPrincipal());
        if (session != null && session.getAttribute(SignIn.ATTRIBUTE) != null) {
            chain.doFilter(request, response);
            return;
        }
        if (context.isEmpty()) {
            LOG.warning("PHIG-4038 console request without an OIDC sign-in: configure the console (console.cli, phigate.console.client-secret)");
            refuse(response, "PHIG-4038", "The console is not configured for sign-in on this server. See docs/console.md, section Configure.");
            return;
        }
        if (context.get().getIDToken() == null) {
            LOG.info("PHIG-4037 console request with a bearer token and no browser sign-in: refused");
            refuse(response, "PHIG-4037", "The console takes a browser sign-in with a second factor, not a bearer token. "
                    + "Open the console in a browser; programs use the admin API (/api).");
            return;
        }
        ConsoleSettings settings;
        try {
            settings = ConsoleSettings.fromSystem();
        } catch (IllegalArgumentException e) {
            LOG.severe(e.getMessage());
            refuse(response, "PHIG-1201", "The console's setting phigate.console.second-factor cannot be read, so no sign-in is admitted. "
                    + "Ask the server's administrator to correct it (docs/console.md, section Configure).");
            return;
        }
        SignIn signIn = signIn(request, context.get());
        if (!settings.secondFactor().shownBy(signIn.acr(), signIn.amr())) {
            LOG.warning(() -> "PHIG-4037 console sign-in refused, no second factor in the tokens: " + signIn + "; accepted: " + settings.secondFactor());
            ProviderLogout.end(context.get(), signIn.username());
            if (session != null) {
                session.invalidate();
            }
            refuse(response, "PHIG-4037", "The console needs a sign-in with a second factor (a one-time code), and this sign-in showed none. "
                    + "Ask the administrator of your identity provider to require one-time codes for console roles (docs/console.md).");
            return;
        }
        HttpSession admitted = request.getSession(true);
        admitted.setAttribute(SignIn.ATTRIBUTE, signIn);
        admitted.setAttribute(SignIn.OIDC_CONTEXT, context.get());
        admitted.setMaxInactiveInterval((int) Math.min(Integer.MAX_VALUE, settings.idleTimeout().toSeconds()));
        LOG.info(() -> "PHIG-0130 console sign-in of " + signIn + "; idle logoff after " + settings.idleTimeout());
        chain.doFilter(request, response);
    }

    private static Optional<OidcSecurityContext> oidc(Principal principal) {
        return principal instanceof OidcPrincipal<?> oidc ? Optional.ofNullable(oidc.getOidcSecurityContext()) : Optional.empty();
    }

    private static SignIn signIn(HttpServletRequest request, OidcSecurityContext context) {
        IDToken id = context.getIDToken();
        Optional<String> acr = Optional.ofNullable(id.getClaimValueAsString("acr"));
        List<String> amr = id.hasClaim("amr") ? id.getStringListClaimValue("amr") : List.of();
        Set<String> roles = CONSOLE_ROLES.stream().filter(request::isUserInRole).collect(Collectors.toUnmodifiableSet());
        String username = Stream.of(id.getPreferredUsername(), id.getSubject()).filter(n -> n != null && !n.isBlank()).findFirst().orElse("?");
        String client = Optional.ofNullable(context.getToken().getClaimValueAsString("azp")).orElse("phigate-console");
        return new SignIn(username, id.getSubject(), client, roles, acr, amr, Instant.now());
    }


    private static void refuse(HttpServletResponse response, String code, String message) throws IOException {
        response.setStatus(403);
        response.setContentType("text/html;charset=UTF-8");
        response.setHeader("Content-Security-Policy", SecurityHeaders.STATIC_POLICY);
        response.getOutputStream().write(("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>PHIGate console: " + code
                + "</title><link rel=\"stylesheet\" href=\"/plain.css\"></head><body><main><h1>Not signed in</h1><p class=\"code\">" + code
                + "</p><p>" + message + "</p><p><a href=\"/console/\">Sign in again</a></p></main></body></html>").getBytes(StandardCharsets.UTF_8));
    }
}
