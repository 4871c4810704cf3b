// SPDX-License-Identifier: Apache-2.0
/**
 * The audit trail (164.312(b)): one record per data-plane request, durable before anything is forwarded, free of
 * PHI (patient ids become keyed pseudonyms), hash-chained per node so that a changed, removed or inserted record
 * is found, written in group commits so that auditing costs a share of a commit per request, not a commit.
 */
package org.phigate.audit;
