/**
 * Migration 13 (issue 16: "Accounts and roles are provisioned at the centre and reach every desk"):
 * `central_accounts`, the newest account record of the department this desk applied for each
 * account (central/accounts.ts pullAccountRecords): the account's global id (also its `users.id`),
 * the record's `seq`, the grant as signed (`grant_json`: canonical JSON of trust.ts AccountGrant,
 * ids and roles only), the department root's signature (`root_sig`) and the credentials' digest
 * (`cred_digest`), and when this desk applied it (`applied_at`, ISO). A row only moves forward: an
 * update must raise seq (a replayed older record is refused here too), and rows are never deleted.
 * The account's `users` row and its `central.account` audit row are written in the same transaction;
 * the audit row is what the trust walk believes (signing.ts), this table is the pull's memory.
 */
export const version = 13;
export const sql = `
CREATE TABLE central_accounts (
  id TEXT PRIMARY KEY,
  seq INTEGER NOT NULL CHECK (seq > 0),
  grant_json TEXT NOT NULL,
  root_sig TEXT NOT NULL,
  cred_digest TEXT NOT NULL,
  applied_at TEXT NOT NULL
);
CREATE TRIGGER central_accounts_forward BEFORE UPDATE ON central_accounts
WHEN NEW.seq <= OLD.seq OR NEW.id IS NOT OLD.id
BEGIN
  SELECT RAISE(ABORT, 'an account record only moves forward');
END;
CREATE TRIGGER central_accounts_kept BEFORE DELETE ON central_accounts
BEGIN
  SELECT RAISE(ABORT, 'account records are never deleted');
END;
`;
