// SPDX-License-Identifier: Apache-2.0
/**
 * The admin REST API on the admin plane ({@code /api}, port 9443 by default): thin resources that validate,
 * call a boundary and map to JSON. The data-plane listener never reaches it.
 */
package org.phigate.web.api;
