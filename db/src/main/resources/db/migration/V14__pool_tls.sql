-- SPDX-License-Identifier: Apache-2.0
-- A pool's TLS towards its backends, by name in the certificate inventory (issue #7): the CAs it trusts (sorted,
-- comma-separated; none: the server's backend trust store) and the client certificate it presents (none: no
-- client certificate). The inventory keeps the material; the names are what the registry links.
ALTER TABLE backend_pool ADD COLUMN tls_trust VARCHAR(1024);
ALTER TABLE backend_pool ADD COLUMN tls_client_certificate VARCHAR(64);
