// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.console;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The browser-facing headers of every admin-plane response (the data plane never reaches servlets): no framing, no
 * MIME sniffing, no referrer, no caching of pages that may show pseudonyms or audit details. HSTS comes from the
 * server's Undertow filter on both planes. Faces pages get their Content-Security-Policy from PrimeFaces, which adds
 * the nonce of the response; every other response gets the strict policy here.
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true, dispatcherTypes = {DispatcherType.REQUEST, DispatcherType.ERROR})
public class SecurityHeaders extends HttpFilter {

    static final String STATIC_POLICY = "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain) throws IOException, ServletException {
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
        response.setHeader("Cross-Origin-Opener-Policy", "same-origin");
        if (!request.getRequestURI().startsWith("/jakarta.faces.resource/")) {
            response.setHeader("Cache-Control", "no-store");
        }
        if (!facesPage(request.getRequestURI())) {
            response.setHeader("Content-Security-Policy", STATIC_POLICY);
        }
        chain.doFilter(request, response);
    }

    /** Everything below /console is a Faces page (the folder holds nothing else), also its folder URL and the sign-in callback. */
    static boolean facesPage(String uri) {
        return uri.endsWith(".xhtml") || uri.startsWith("/console/") || uri.equals("/console");
    }
}
