// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.api;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The admin REST API, under {@code /api} of the admin plane. */
@ApplicationPath("/api")
public class AdminApi extends Application {
}
