-- SPDX-License-Identifier: Apache-2.0
-- The certificate inventory (issue #7): every certificate the gateway presents (server, client) or trusts (trust, identity),
-- with what an auditor asks about it. Certificates are public and kept as PEM; a private key is never stored here:
-- key_reference names the entry of the restricted key store that holds it ("keys:ALIAS"), or the server's own Elytron
-- key store ("elytron:phigate-server-ks") for the listeners' certificate found at start.
CREATE TABLE certificate (
    id                   BIGINT         NOT NULL PRIMARY KEY,
    version              BIGINT         NOT NULL,
    name                 VARCHAR(64)    NOT NULL,
    purpose              VARCHAR(12)    NOT NULL,
    subject              VARCHAR(1024)  NOT NULL,
    subject_alt_names    VARCHAR(2048),
    issuer               VARCHAR(1024)  NOT NULL,
    serial               VARCHAR(64)    NOT NULL,
    not_before           TIMESTAMP      NOT NULL,
    not_after            TIMESTAMP      NOT NULL,
    key_type             VARCHAR(16)    NOT NULL,
    key_size             INTEGER        NOT NULL,
    signature_algorithm  VARCHAR(64)    NOT NULL,
    fingerprint          VARCHAR(64)    NOT NULL,
    chain_pem            VARCHAR(65536) NOT NULL,
    key_reference        VARCHAR(128),
    active               BOOLEAN        NOT NULL,
    imported_at          TIMESTAMP      NOT NULL,
    imported_by          VARCHAR(255)   NOT NULL,
    CONSTRAINT uk_certificate_name UNIQUE (name),
    CONSTRAINT uk_certificate_purpose_fingerprint UNIQUE (purpose, fingerprint),
    CONSTRAINT ck_certificate_purpose CHECK (purpose IN ('server', 'client', 'trust', 'identity'))
);
