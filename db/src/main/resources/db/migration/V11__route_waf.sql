-- SPDX-License-Identifier: Apache-2.0
-- The web application firewall per route (issue #6): mode (block, detect, off), profile (fhir, generic), the body
-- limit in bytes and what happens to a larger body (refuse or pass uninspected), and the rules switched off for
-- parts of the route's requests. Existing routes take the safe defaults: block, fhir, 1 MiB, refuse.
ALTER TABLE route ADD COLUMN waf_mode VARCHAR(8) DEFAULT 'block' NOT NULL;
ALTER TABLE route ADD COLUMN waf_profile VARCHAR(8) DEFAULT 'fhir' NOT NULL;
ALTER TABLE route ADD COLUMN waf_body_limit BIGINT DEFAULT 1048576 NOT NULL;
ALTER TABLE route ADD COLUMN waf_pass_oversized BOOLEAN DEFAULT FALSE NOT NULL;

CREATE TABLE route_waf_exclusion (
    route_id        BIGINT       NOT NULL REFERENCES route (id) ON DELETE CASCADE,
    exclusion_index INTEGER      NOT NULL,
    rule_id         VARCHAR(16)  NOT NULL,
    target          VARCHAR(256) NOT NULL,
    PRIMARY KEY (route_id, exclusion_index)
);
