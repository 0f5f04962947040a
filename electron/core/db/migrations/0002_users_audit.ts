/**
 * Migration 2 (issue 5): account timestamps, purge marks for the retention period (PDPA) and indexes
 * for browsing the audit trail. Failed sign-ins are counted outside the database, in the
 * `<db>.lockout` file (owner hashes only, no names), because they happen while it is still locked.
 */
export const version = 2;
export const sql = `
ALTER TABLE users ADD COLUMN password_changed_at TEXT;
ALTER TABLE users ADD COLUMN updated_at TEXT;
ALTER TABLE screenings ADD COLUMN purged_at TEXT;
CREATE INDEX screenings_time ON screenings(screened_at);
CREATE INDEX audit_action ON audit(action);
CREATE INDEX audit_actor ON audit(actor_id);
`;
