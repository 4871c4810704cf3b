-- SPDX-License-Identifier: Apache-2.0
-- Emergency access (issue #3): routes that allow break-glass, and the events that stay open until reviewed.
ALTER TABLE route ADD COLUMN policy_break_glass BOOLEAN DEFAULT FALSE NOT NULL;

CREATE TABLE break_glass_event (
    id              BIGINT        NOT NULL PRIMARY KEY,
    version         BIGINT        NOT NULL,
    event_id        VARCHAR(36)   NOT NULL,
    subject         VARCHAR(255)  NOT NULL,
    username        VARCHAR(255)  NOT NULL,
    client_id       VARCHAR(255)  NOT NULL,
    route           VARCHAR(64)   NOT NULL,
    justification   VARCHAR(500)  NOT NULL,
    request_id      VARCHAR(32)   NOT NULL,
    opened_at       TIMESTAMP     NOT NULL,
    expires_at      TIMESTAMP     NOT NULL,
    reviewed_by     VARCHAR(255),
    reviewed_at     TIMESTAMP,
    review_note     VARCHAR(2000),
    CONSTRAINT uk_break_glass_event_id UNIQUE (event_id)
);

CREATE INDEX ix_break_glass_open ON break_glass_event (reviewed_at, opened_at);
