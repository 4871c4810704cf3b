// SPDX-License-Identifier: Apache-2.0
/**
 * Who may call which route (164.312(a)(1)): per-route access policies and the pure decision over them.
 * No policy, no access. Policies are part of the route snapshot, so deciding never touches the database.
 */
package org.phigate.policy;
