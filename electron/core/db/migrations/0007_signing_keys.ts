/**
 * Migration 7 (issue 15, signing keys): each account's Ed25519 signing key and each audit row's
 * signature.
 * - `users.signing_key`: the public key (raw 32 bytes, base64). A copy for convenience only: the
 *   key an account may sign with is the one a signed row of the trail enrolled (signing.ts).
 * - `users.signing_wrapped`: the private key's seed wrapped under the account's password
 *   (Argon2id + AES-256-GCM, keyslots.ts `wrapWithPassword`); null until the account has a key.
 * - `audit.signer`, `audit.sig`: fingerprint of the signing key and the Ed25519 signature of the
 *   row's hash. Rows written before this migration stay unsigned (null) and are still chained;
 *   the desk begins signing at its next admin sign-in (`signing.started`).
 */
export const version = 7;
export const sql = `
ALTER TABLE users ADD COLUMN signing_key TEXT;
ALTER TABLE users ADD COLUMN signing_wrapped TEXT;
ALTER TABLE audit ADD COLUMN signer TEXT;
ALTER TABLE audit ADD COLUMN sig TEXT;
`;
