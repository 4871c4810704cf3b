// SPDX-License-Identifier: Apache-2.0
/**
 * Configuration as code: a YAML file is the desired state of the routes and pools it names.
 * It is parsed into plain specs with the line of every field, so that a rejected file says where it is wrong,
 * and applied in one transaction, so that a rejected file changes nothing.
 */
package org.phigate.config;
