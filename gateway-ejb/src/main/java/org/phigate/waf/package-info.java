// SPDX-License-Identifier: Apache-2.0
/**
 * The web application firewall (164.312(c)): tokenizers that read each part of a request the way a database, a
 * browser, a shell or a template engine would, and rules kept as versioned data with stable ids. Pure and
 * side-effect free, so the data plane calls it on its I/O path and the corpus tests call it without a server.
 */
package org.phigate.waf;
