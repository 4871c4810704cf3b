-- SPDX-License-Identifier: Apache-2.0
-- How far each node's local audit journal has been shipped into audit_entry: moved in the same transaction as the
-- rows, so that after a crash on either side the journal ships from exactly where the database ends.
CREATE TABLE audit_ship_cursor (
    node              VARCHAR(64)   NOT NULL,
    seq               BIGINT        NOT NULL,
    at_micros         BIGINT        NOT NULL,
    CONSTRAINT pk_audit_ship_cursor PRIMARY KEY (node)
);
