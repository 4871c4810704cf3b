// SPDX-License-Identifier: Apache-2.0
/**
 * The certificate inventory (164.312(e)): every certificate the gateway presents or trusts, by purpose, with what an
 * auditor asks about it. Import refuses weak or broken material (control); the registry keeps public certificates
 * and, for private keys, only a reference to the restricted key store that holds them (entity, boundary).
 */
package org.phigate.certificate;
