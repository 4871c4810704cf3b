-- SPDX-License-Identifier: Apache-2.0
-- Pools that survive failures (issue #5): each backend's weight, concurrency limit and draining flag, and the
-- pool's balancing, concurrency limit, active health check (no path: none), passive ejection, slow start and retry
-- budget. Existing rows take the defaults.
ALTER TABLE pool_backend ADD COLUMN weight INTEGER DEFAULT 1 NOT NULL;
ALTER TABLE pool_backend ADD COLUMN max_concurrent INTEGER DEFAULT 512 NOT NULL;
ALTER TABLE pool_backend ADD COLUMN draining BOOLEAN DEFAULT FALSE NOT NULL;

ALTER TABLE backend_pool ADD COLUMN balancing VARCHAR(24) DEFAULT 'round-robin' NOT NULL;
ALTER TABLE backend_pool ADD COLUMN max_concurrent INTEGER DEFAULT 1024 NOT NULL;
ALTER TABLE backend_pool ADD COLUMN health_path VARCHAR(512);
ALTER TABLE backend_pool ADD COLUMN health_interval_ms INTEGER DEFAULT 5000 NOT NULL;
ALTER TABLE backend_pool ADD COLUMN health_timeout_ms INTEGER DEFAULT 2000 NOT NULL;
ALTER TABLE backend_pool ADD COLUMN healthy_threshold INTEGER DEFAULT 2 NOT NULL;
ALTER TABLE backend_pool ADD COLUMN unhealthy_threshold INTEGER DEFAULT 3 NOT NULL;
ALTER TABLE backend_pool ADD COLUMN eject_after INTEGER DEFAULT 5 NOT NULL;
ALTER TABLE backend_pool ADD COLUMN eject_base_ms INTEGER DEFAULT 10000 NOT NULL;
ALTER TABLE backend_pool ADD COLUMN eject_max_ms INTEGER DEFAULT 300000 NOT NULL;
ALTER TABLE backend_pool ADD COLUMN slow_start_ms INTEGER DEFAULT 30000 NOT NULL;
ALTER TABLE backend_pool ADD COLUMN retry_budget_percent INTEGER DEFAULT 20 NOT NULL;
