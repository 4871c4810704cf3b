-- SPDX-License-Identifier: Apache-2.0
-- Business associates (issue #7): the vendors that receive PHI and their agreements (BAA). An agreement is in force
-- from effective_at up to, not including, expires_at while its status is 'active'. The PHI scope is kept as sorted,
-- comma-separated route names and FHIR resource types ('*' for every type). The signed agreement itself stays in
-- the hospital's contract system; the registry keeps its file name and SHA-256.
CREATE TABLE business_associate (
    id                    BIGINT        NOT NULL PRIMARY KEY,
    version               BIGINT        NOT NULL,
    name                  VARCHAR(64)   NOT NULL,
    legal_name            VARCHAR(200)  NOT NULL,
    contact               VARCHAR(200)  NOT NULL,
    status                VARCHAR(12)   NOT NULL,
    effective_at          TIMESTAMP     NOT NULL,
    expires_at            TIMESTAMP     NOT NULL,
    scope_routes          VARCHAR(2048),
    scope_resource_types  VARCHAR(2048),
    agreement_file        VARCHAR(255),
    agreement_sha256      VARCHAR(64),
    CONSTRAINT uk_business_associate_name UNIQUE (name),
    CONSTRAINT ck_business_associate_status CHECK (status IN ('draft', 'active', 'terminated')),
    CONSTRAINT ck_business_associate_dates CHECK (expires_at > effective_at)
);

-- A pool run by a vendor links every route to it; a route may also name its vendor itself.
ALTER TABLE backend_pool ADD COLUMN vendor_id BIGINT;
ALTER TABLE backend_pool ADD CONSTRAINT fk_backend_pool_vendor FOREIGN KEY (vendor_id) REFERENCES business_associate (id);
ALTER TABLE route ADD COLUMN vendor_id BIGINT;
ALTER TABLE route ADD CONSTRAINT fk_route_vendor FOREIGN KEY (vendor_id) REFERENCES business_associate (id);

-- The vendor a request went to (or was refused for), in its access record.
ALTER TABLE audit_entry ADD COLUMN vendor VARCHAR(64);
