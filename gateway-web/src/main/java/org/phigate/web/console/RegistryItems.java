// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.console;

import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import org.phigate.audit.control.ChangeOrigin;
import org.phigate.config.ConfigurationRejected;
import org.phigate.route.boundary.RegistryBusy;

/** Removal of a registry item from a list page (gateway-admin), with the same audit and refusals as the admin API. */
final class RegistryItems {

    private static final Logger LOG = Logger.getLogger(RegistryItems.class.getName());

    interface Removal {
        boolean remove(String name, ChangeOrigin origin);
    }

    private RegistryItems() {
    }

    static void remove(Console console, String section, String name, Removal removal) {
        Optional<SignIn> admin = console.admin();
        if (admin.isEmpty()) {
            return;
        }
        SignIn who = admin.get();
        try {
            boolean removed = removal.remove(name, console.origin(who));
            LOG.info(() -> "PHIG-0121 " + section + "." + name + " removed through the console by " + who.username());
            FacesContext.getCurrentInstance().addMessage(null, new FacesMessage(removed ? name + " removed." : name + " was already gone."));
        } catch (ConfigurationRejected e) {
            ConsoleChange.refused(e, Map.of(), section + "." + name);
        } catch (RegistryBusy e) {
            ConsoleChange.busy(section + "." + name);
        }
    }
}
