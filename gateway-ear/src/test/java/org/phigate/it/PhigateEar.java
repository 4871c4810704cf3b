// SPDX-License-Identifier: Apache-2.0
package org.phigate.it;

import java.io.File;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;

/** The EAR the build made, as every integration test deploys it: unchanged, client-side tests only. */
final class PhigateEar {

    private PhigateEar() {
    }

    static EnterpriseArchive built() {
        return ShrinkWrap.createFromZipFile(EnterpriseArchive.class, new File(System.getProperty("phigate.ear")));
    }
}
