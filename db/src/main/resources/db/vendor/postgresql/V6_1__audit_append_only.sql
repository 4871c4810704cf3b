-- SPDX-License-Identifier: Apache-2.0
-- PostgreSQL only (issue #4): the audit tables are append-only. UPDATE, DELETE and TRUNCATE are refused, except
-- DELETE in a transaction that has declared itself the retention purge (SET LOCAL phigate.audit_purge = 'on'),
-- which archives what it deletes first. A database owner can still disable triggers: give the gateway's runtime
-- account INSERT and SELECT only (docs/audit.md); the hash chain and the signed checkpoints show what was changed.
CREATE FUNCTION phigate_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('phigate.audit_purge', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'PHIG-0430 the audit table % is append-only: % refused', TG_TABLE_NAME, TG_OP;
END
$$;

CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry
    FOR EACH ROW EXECUTE FUNCTION phigate_audit_append_only();
CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry
    FOR EACH STATEMENT EXECUTE FUNCTION phigate_audit_append_only();
CREATE TRIGGER audit_checkpoint_append_only BEFORE UPDATE OR DELETE ON audit_checkpoint
    FOR EACH ROW EXECUTE FUNCTION phigate_audit_append_only();
CREATE TRIGGER audit_checkpoint_no_truncate BEFORE TRUNCATE ON audit_checkpoint
    FOR EACH STATEMENT EXECUTE FUNCTION phigate_audit_append_only();
