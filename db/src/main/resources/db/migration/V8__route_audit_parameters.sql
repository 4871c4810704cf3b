-- SPDX-License-Identifier: Apache-2.0
-- Query parameters whose values a route's audit records keep in clear, beyond the FHIR result parameters (issue #4).
-- Comma-separated names; NULL keeps only the defaults. Names that identify a person are refused by the configuration.
ALTER TABLE route ADD COLUMN audit_parameters VARCHAR(1024);
