-- SPDX-License-Identifier: Apache-2.0
-- Routes and backend pools (issue #2). Portable SQL: runs unchanged on PostgreSQL and H2.

CREATE TABLE backend_pool (
    id              BIGINT       NOT NULL PRIMARY KEY,
    version         BIGINT       NOT NULL,
    name            VARCHAR(64)  NOT NULL,
    CONSTRAINT uk_backend_pool_name UNIQUE (name)
);

CREATE TABLE pool_backend (
    pool_id         BIGINT        NOT NULL,
    backend_index   INTEGER       NOT NULL,
    uri             VARCHAR(2048) NOT NULL,
    PRIMARY KEY (pool_id, backend_index),
    CONSTRAINT fk_pool_backend_pool FOREIGN KEY (pool_id) REFERENCES backend_pool (id) ON DELETE CASCADE
);

CREATE TABLE route (
    id                  BIGINT        NOT NULL PRIMARY KEY,
    version             BIGINT        NOT NULL,
    name                VARCHAR(64)   NOT NULL,
    path_prefix         VARCHAR(512)  NOT NULL,
    methods             VARCHAR(256)  NOT NULL,
    pool_id             BIGINT        NOT NULL,
    backend_path        VARCHAR(1024) NOT NULL,
    carries_phi         BOOLEAN       NOT NULL,
    connect_timeout_ms  INTEGER       NOT NULL,
    request_timeout_ms  INTEGER       NOT NULL,
    CONSTRAINT uk_route_name UNIQUE (name),
    CONSTRAINT uk_route_prefix_methods UNIQUE (path_prefix, methods),
    CONSTRAINT fk_route_pool FOREIGN KEY (pool_id) REFERENCES backend_pool (id)
);

CREATE SEQUENCE phigate_id_seq START WITH 1 INCREMENT BY 50;
