// SPDX-License-Identifier: Apache-2.0
/**
 * Who is calling (164.312(a)(1), (d)): bearer tokens verified locally against the issuer's keys, with a
 * precise, stable reason for every refusal. Pure: the keys come in as a snapshot, so nothing here waits on
 * the network and the data plane can verify on its I/O threads.
 */
package org.phigate.identity;
