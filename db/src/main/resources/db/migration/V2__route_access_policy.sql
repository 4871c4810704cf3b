-- SPDX-License-Identifier: Apache-2.0
-- Per-route access policy (issue #3). Comma-separated, sorted lists; a route whose roles and clients are
-- both NULL has no policy and admits nobody (default deny).
ALTER TABLE route ADD COLUMN policy_roles VARCHAR(1024);
ALTER TABLE route ADD COLUMN policy_clients VARCHAR(1024);
ALTER TABLE route ADD COLUMN policy_sources VARCHAR(2048);
