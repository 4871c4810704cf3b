// SPDX-License-Identifier: Apache-2.0
package org.phigate.route.boundary;

import jakarta.ejb.ApplicationException;

/**
 * A registry change that waited too long for the one before it (PHIG-5037): nothing was changed, and the caller may
 * try again. An application exception, so that the container neither wraps nor logs it as a failure of the bean.
 */
@ApplicationException(rollback = true)
public class RegistryBusy extends RuntimeException {

    public RegistryBusy(String message) {
        super(message);
    }
}
