-- SPDX-License-Identifier: Apache-2.0
-- A request may name up to 64 patients (Patient?_id=a,b,..., several subject values): each gets its pseudonym in the
-- record, 32 hex digits and a comma each, so that the accounting of disclosures finds every one of them.
ALTER TABLE audit_entry ALTER COLUMN patient SET DATA TYPE VARCHAR(2200);
