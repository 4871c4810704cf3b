-- SPDX-License-Identifier: Apache-2.0
-- A route policy may require SMART on FHIR scopes that permit the request's interaction (issue #3).
ALTER TABLE route ADD COLUMN policy_smart BOOLEAN DEFAULT FALSE NOT NULL;
