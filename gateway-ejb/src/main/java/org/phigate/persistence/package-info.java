// SPDX-License-Identifier: Apache-2.0
/**
 * The schema: Flyway migrations from the db module, run before Hibernate validates its mappings,
 * so that Hibernate never generates schema and a deployment on an old database upgrades it first.
 */
package org.phigate.persistence;
