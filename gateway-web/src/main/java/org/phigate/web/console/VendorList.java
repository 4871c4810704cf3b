// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.console;

import jakarta.ejb.EJB;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.phigate.route.boundary.Routes;
import org.phigate.vendor.control.VendorSpec;

/** Business associates, with whether their agreement lets PHI go to them now; removal (gateway-admin). */
@Named
@ViewScoped
public class VendorList implements Serializable {

    private static final long serialVersionUID = 1L;

    @EJB
    transient Routes routes;

    @Inject
    Console console;

    public List<VendorSpec> getVendors() {
        return routes.current().vendors().values().stream().sorted(Comparator.comparing(VendorSpec::expires)).toList();
    }

    public boolean inForce(VendorSpec vendor) {
        return vendor.inForce(Instant.now());
    }

    public void remove(String name) {
        RegistryItems.remove(console, "vendors", name, routes::removeVendor);
    }
}
