// SPDX-License-Identifier: Apache-2.0
/**
 * Business associates (45 CFR 164.308(b), 164.502(e)): the vendors that receive PHI and their agreements.
 * The registry is JPA (entity); the data plane reads each vendor from the route table snapshot and decides per
 * request, against the clock, whether the agreement is in force and covers the disclosure (control).
 */
package org.phigate.vendor;
