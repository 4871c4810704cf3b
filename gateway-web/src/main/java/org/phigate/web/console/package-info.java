// SPDX-License-Identifier: Apache-2.0
/**
 * The admin console: Faces beans behind the OIDC sign-in, with the console's own checks on top of the provider's
 * (a second factor shown in the tokens, idle logoff that ends the provider's session too, security headers).
 * Every change goes through the same boundaries as the admin API, so it is validated and audited the same way.
 */
package org.phigate.web.console;
