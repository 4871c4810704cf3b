-- SPDX-License-Identifier: Apache-2.0
-- The audit trail (issue #4): append-only, one hash chain per node. An ACCESS entry ('A') per request, durable
-- before the request is forwarded; an OUTCOME entry ('O') with the same request id once a forwarded request ends.
-- No PHI: path is redacted, patient holds keyed pseudonyms. Times are microseconds since the epoch, UTC.
CREATE TABLE audit_entry (
    node              VARCHAR(64)   NOT NULL,
    seq               BIGINT        NOT NULL,
    kind              CHAR(1)       NOT NULL,
    at_micros         BIGINT        NOT NULL,
    request_id        VARCHAR(32)   NOT NULL,
    subject           VARCHAR(255),
    client_id         VARCHAR(255),
    service_identity  VARCHAR(64),
    source_ip         VARCHAR(45),
    tls_protocol      VARCHAR(16),
    tls_cipher        VARCHAR(64),
    method            VARCHAR(16),
    route             VARCHAR(64),
    path              VARCHAR(1024),
    resource_type     VARCHAR(64),
    interaction       VARCHAR(16),
    patient           VARCHAR(300),
    decision          VARCHAR(8)    NOT NULL,
    reason            VARCHAR(16),
    break_glass       BOOLEAN       NOT NULL,
    backend           VARCHAR(255),
    status            INTEGER       NOT NULL,
    bytes_in          BIGINT        NOT NULL,
    bytes_out         BIGINT        NOT NULL,
    duration_micros   BIGINT        NOT NULL,
    aborted           BOOLEAN       NOT NULL,
    prev_hash         VARCHAR(64)   NOT NULL,
    hash              VARCHAR(64)   NOT NULL,
    CONSTRAINT pk_audit_entry PRIMARY KEY (node, seq)
);

CREATE INDEX ix_audit_entry_at ON audit_entry (at_micros);
CREATE INDEX ix_audit_entry_request ON audit_entry (request_id);
CREATE INDEX ix_audit_entry_patient ON audit_entry (patient);
CREATE INDEX ix_audit_entry_subject ON audit_entry (subject, at_micros);

-- Signed checkpoints: every so often a node signs the position and hash its chain has reached.
CREATE TABLE audit_checkpoint (
    node              VARCHAR(64)   NOT NULL,
    seq               BIGINT        NOT NULL,
    hash              VARCHAR(64)   NOT NULL,
    at_micros         BIGINT        NOT NULL,
    algorithm         VARCHAR(32)   NOT NULL,
    signature         VARCHAR(512)  NOT NULL,
    CONSTRAINT pk_audit_checkpoint PRIMARY KEY (node, seq)
);
