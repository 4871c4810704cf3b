// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.console;

import jakarta.ejb.EJB;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.util.Comparator;
import java.util.List;
import org.phigate.identity.ServiceIdentitySpec;
import org.phigate.route.boundary.Routes;

/** Service identities: client certificates registered by fingerprint, with their roles; removal (gateway-admin). */
@Named
@ViewScoped
public class IdentityList implements Serializable {

    private static final long serialVersionUID = 1L;

    @EJB
    transient Routes routes;

    @Inject
    Console console;

    public List<ServiceIdentitySpec> getIdentities() {
        return routes.current().identities().values().stream().sorted(Comparator.comparing(ServiceIdentitySpec::name)).toList();
    }

    public void remove(String name) {
        RegistryItems.remove(console, "identities", name, routes::removeIdentity);
    }
}
