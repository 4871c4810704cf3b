// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.console;

import jakarta.servlet.annotation.WebListener;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionListener;
import java.util.logging.Logger;

/**
 * When a console session ends, by sign-out or by idle logoff (164.312(a)(2)(iii)), the provider's session ends too,
 * and the log says which it was.
 */
@WebListener
public class SessionEnd implements HttpSessionListener {

    private static final Logger LOG = Logger.getLogger(SessionEnd.class.getName());

    @Override
    public void sessionDestroyed(HttpSessionEvent event) {
        if (!(event.getSession().getAttribute(SignIn.ATTRIBUTE) instanceof SignIn signIn)) {
            return;
        }
        Object endedBy = event.getSession().getAttribute(SignIn.ENDED_BY);
        long idleUntil = event.getSession().getLastAccessedTime() + event.getSession().getMaxInactiveInterval() * 1000L;
        String why = endedBy != null ? endedBy.toString() : idleUntil <= System.currentTimeMillis() + 1000 ? "idle logoff" : "the server stopped or redeployed";
        LOG.info(() -> "PHIG-0131 console session of " + signIn.username() + " ended (" + why + ")");
        ProviderLogout.end(event.getSession().getAttribute(SignIn.OIDC_CONTEXT), signIn.username());
    }
}
