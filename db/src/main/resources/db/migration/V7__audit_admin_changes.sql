-- SPDX-License-Identifier: Apache-2.0
-- Admin changes in the audit chain (issue #4): CHANGE entries ('C') carry the changed item before and after, as
-- JSON (absent where the item did not exist). The configuration is at most 1 MiB, so its JSON fits.
ALTER TABLE audit_entry ADD COLUMN before_state VARCHAR(1000000);
ALTER TABLE audit_entry ADD COLUMN after_state VARCHAR(1000000);
CREATE INDEX ix_audit_entry_kind_at ON audit_entry (kind, at_micros);
