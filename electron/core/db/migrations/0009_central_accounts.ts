/**
 * Migration 9 (issue 16: "a departed user's account ... revoked at every desk by its next sync"):
 * `central_account_revocations`, the account revocations this desk pulled from the centre and
 * whose root signature verified (central/accounts.ts). The sign-in refuses an account whose
 * username has one (usernames compare without regard to case, as `users.username` does). Rows are
 * only ever added: a later pull never deletes one, so a compromised centre that drops a revocation
 * cannot bring the account back on a desk that saw it. `sig` is the root's signature (base64) over
 * trust.ts accountRevocationMessage; `applied_at` when this desk stored it (ISO).
 */
export const version = 9;
export const sql = `
CREATE TABLE central_account_revocations (
  username TEXT NOT NULL COLLATE NOCASE,
  revoked_at TEXT NOT NULL,
  sig TEXT NOT NULL,
  applied_at TEXT NOT NULL,
  PRIMARY KEY (username, revoked_at)
);
CREATE TRIGGER central_account_revocations_kept BEFORE DELETE ON central_account_revocations
BEGIN
  SELECT RAISE(ABORT, 'account revocations are never deleted');
END;
CREATE TRIGGER central_account_revocations_frozen BEFORE UPDATE ON central_account_revocations
BEGIN
  SELECT RAISE(ABORT, 'account revocations are never altered');
END;
`;
