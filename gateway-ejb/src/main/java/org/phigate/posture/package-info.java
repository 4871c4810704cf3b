// SPDX-License-Identifier: Apache-2.0
/**
 * Compliance posture over time: agreements and certificates that expire. A scheduled monitor (boundary) reads the
 * registries and warns ahead of each expiry, at fixed steps, in the log, the admin API and the metrics, so that a
 * lapse is renewed before it stops traffic (a BAA) or breaks TLS (a certificate).
 */
package org.phigate.posture;
