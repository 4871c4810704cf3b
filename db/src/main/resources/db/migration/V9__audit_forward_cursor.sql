-- SPDX-License-Identifier: Apache-2.0
-- How far each node has forwarded its audit chain to each syslog target (issue #4). The forwarder moves seq only
-- after a batch has been written and flushed to the target; the audit entries themselves stay append-only.
CREATE TABLE audit_forward_cursor (
    node              VARCHAR(64)   NOT NULL,
    target            VARCHAR(300)  NOT NULL,
    seq               BIGINT        NOT NULL,
    at_micros         BIGINT        NOT NULL,
    CONSTRAINT pk_audit_forward_cursor PRIMARY KEY (node, target)
);
