-- SPDX-License-Identifier: Apache-2.0
-- Service identities (issue #3): systems that call the data plane with a client certificate (mutual TLS),
-- registered by the SHA-256 fingerprint of that certificate. A disabled identity is refused at once.
CREATE TABLE service_identity (
    id              BIGINT        NOT NULL PRIMARY KEY,
    version         BIGINT        NOT NULL,
    name            VARCHAR(64)   NOT NULL,
    fingerprint     VARCHAR(64)   NOT NULL,
    enabled         BOOLEAN       NOT NULL,
    description     VARCHAR(500)  NOT NULL,
    CONSTRAINT uk_service_identity_name UNIQUE (name),
    CONSTRAINT uk_service_identity_fingerprint UNIQUE (fingerprint)
);

-- Comma-separated, sorted names of the service identities a route's policy admits.
ALTER TABLE route ADD COLUMN policy_identities VARCHAR(1024);
