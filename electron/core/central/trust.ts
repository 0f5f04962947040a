/**
 * The department's trust records (DESIGN.md section 10, issue 16): the root key (Ed25519, derived
 * from the department passphrase; only its public half is stored at the centre and pinned by every
 * desk) certifies the keys allowed to publish lists, and revokes them. The centre only stores the
 * certificates and revocations (`wd.trusted_keys`); desks verify them here, so a compromised
 * central database can neither add a publisher nor lift a revocation it did not have signed.
 *
 * Messages are a fixed prefix line followed by canonical JSON (keys sorted, no spaces).
 */
import { fingerprint, verifyText } from '../signing';
import {
  accountCredDigest, accountRecordMessage, canonicalGrant, canonicalJson, isoInstant, parseGrant, type AccountCredentials, type AccountGrant,
} from './account-record';

export {
  ACCOUNT_RECORD_PREFIX, accountCredDigest, accountRecordMessage, canonicalGrant, canonicalJson, isoInstant, parseGrant,
  type AccountCredentials, type AccountGrant,
} from './account-record';

/** Prefix of what the root key signs to certify a publisher's key. */
export const PUBLISHER_CERT_PREFIX = 'watchdesk-publisher-v1\n';
/** Prefix of what the root key signs to revoke a key. */
export const REVOCATION_PREFIX = 'watchdesk-revoke-v1\n';

/** What a publisher certificate says: the key (base64 raw 32 bytes), its fingerprint, whose it is, since when. */
export interface PublisherCert {
  fingerprint: string;
  publicKey: string;
  username: string;
  role: 'publisher';
  certifiedAt: Date | string;
}

/** The text the root key signs to certify a publisher's key. */
export function publisherCertMessage(c: PublisherCert): string {
  return PUBLISHER_CERT_PREFIX + canonicalJson({
    certifiedAt: isoInstant(c.certifiedAt), fingerprint: c.fingerprint, publicKey: c.publicKey, role: c.role, username: c.username,
  });
}

/** The text the root key signs to revoke a key (by fingerprint) from `revokedAt` on. */
export function revocationMessage(r: { fingerprint: string; revokedAt: Date | string }): string {
  return REVOCATION_PREFIX + canonicalJson({ fingerprint: r.fingerprint, revokedAt: isoInstant(r.revokedAt) });
}

/** Prefix of what the root key signs to revoke an account (by username) at every desk. */
export const ACCOUNT_REVOCATION_PREFIX = 'watchdesk-account-revoke-v1\n';

/**
 * The text the root key signs to revoke the account `username` at every desk from `revokedAt` on
 * (`wd.account_revocations`; central/accounts.ts verifies it on the desks).
 */
export function accountRevocationMessage(r: { username: string; revokedAt: Date | string }): string {
  return ACCOUNT_REVOCATION_PREFIX + canonicalJson({ revokedAt: isoInstant(r.revokedAt), username: r.username });
}

/** A row of `wd.account_revocations` as node-postgres returns it (timestamptz as Date; strings accepted too). */
export interface AccountRevocationRow {
  username: string;
  revoked_at: Date | string;
  sig: string | null;
}

/** True when `row` is an account revocation the root key (`rootKey`, base64 raw 32 bytes) signed; false for anything malformed or forged. */
export function verifyAccountRevocation(rootKey: string, row: AccountRevocationRow): boolean {
  if (typeof row.username !== 'string' || row.username === '' || typeof row.sig !== 'string' || row.sig === '') return false;
  try {
    return verifyText(rootKey, accountRevocationMessage({ username: row.username, revokedAt: row.revoked_at }), row.sig);
  } catch {
    return false;
  }
}

/** A row of `wd.trusted_keys` as node-postgres returns it (timestamptz as Date; strings accepted too). */
export interface TrustedKeyRow {
  fingerprint: string;
  public_key: string;
  username: string;
  role: string;
  certified_at: Date | string;
  cert_sig: string;
  revoked_at: Date | string | null;
  revocation_sig: string | null;
}

/**
 * True when `row` is a publisher certificate the root key (`rootKey`, base64 raw 32 bytes) signed,
 * and its fingerprint is its public key's. False for anything malformed.
 */
export function verifyPublisherCert(rootKey: string, row: TrustedKeyRow): boolean {
  try {
    if (row.role !== 'publisher' || fingerprint(row.public_key) !== row.fingerprint) return false;
    const msg = publisherCertMessage({
      fingerprint: row.fingerprint, publicKey: row.public_key, username: row.username, role: 'publisher', certifiedAt: row.certified_at,
    });
    return verifyText(rootKey, msg, row.cert_sig);
  } catch {
    return false;
  }
}

/** True when `row` carries a revocation the root key signed (false when it has none, or a forged one). */
export function verifyRevocation(rootKey: string, row: Pick<TrustedKeyRow, 'fingerprint' | 'revoked_at' | 'revocation_sig'>): boolean {
  if (row.revoked_at === null || row.revocation_sig === null) return false;
  try {
    return verifyText(rootKey, revocationMessage({ fingerprint: row.fingerprint, revokedAt: row.revoked_at }), row.revocation_sig);
  } catch {
    return false;
  }
}

/** A publisher key the root vouches for; revokedAt is set only by a root-signed revocation. */
export interface TrustedPublisher {
  publicKey: string;
  username: string;
  certifiedAt: string;
  revokedAt: string | null;
}

/**
 * The publisher keys `rootKey` certified, by fingerprint, from `wd.trusted_keys` rows. Rows whose
 * certificate does not verify are left out; a revocation whose signature does not verify is
 * ignored (revokedAt null). With `at`, keys certified after `at` are left out (not yet trusted
 * then). A key with revokedAt set must not be trusted for anything new: a stolen key can backdate
 * what it signs, so callers refuse it whatever the date of the signed record.
 */
export function trustedPublishers(rows: readonly TrustedKeyRow[], rootKey: string, at?: Date | string): Map<string, TrustedPublisher> {
  const limit = at === undefined ? undefined : new Date(isoInstant(at)).getTime();
  const out = new Map<string, TrustedPublisher>();
  for (const row of rows) {
    if (!verifyPublisherCert(rootKey, row)) continue;
    const certifiedAt = isoInstant(row.certified_at);
    if (limit !== undefined && new Date(certifiedAt).getTime() > limit) continue;
    const revokedAt = verifyRevocation(rootKey, row) && row.revoked_at !== null ? isoInstant(row.revoked_at) : null;
    out.set(row.fingerprint, { publicKey: row.public_key, username: row.username, certifiedAt, revokedAt });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Accounts provisioned at the centre (issue 16, "Accounts and roles are provisioned at the centre
// and reach every desk; an officer can move between checkpoints").

/** True when `sig` is the root key's (`rootKey`, base64 raw 32 bytes) signature of the record; false for anything malformed. */
export function verifyAccountRecord(rootKey: string, grant: AccountGrant, credDigest: string, sig: string): boolean {
  try {
    return typeof sig === 'string' && verifyText(rootKey, accountRecordMessage(grant, credDigest), sig);
  } catch {
    return false;
  }
}

/**
 * A row of `wd.accounts` (schema.ts migration 5) as node-postgres returns it (bigint seq as text,
 * jsonb parsed), with its credentials from `wd.account_credentials` when this desk may read them
 * (an account of its checkpoint or of every checkpoint), else null.
 */
export interface AccountRecordRow {
  id: string;
  username: string;
  seq: string | number;
  roles: unknown;
  checkpoints: unknown;
  disabled: boolean;
  signing_key: string;
  /** The digest of the credentials (accountCredDigest) the root signed, stored beside them at the centre. */
  cred_digest: string;
  password_hash: string | null;
  signing_wrapped: string | null;
  issued_at: Date | string;
  root_sig: string;
}

/**
 * An account record whose root signature verified: its grant, username, credentials (null when the
 * centre gave this desk none: an account of other checkpoints) and their digest.
 */
export interface VerifiedAccountRecord {
  grant: AccountGrant;
  username: string;
  credentials: AccountCredentials | null;
  credDigest: string;
  rootSig: string;
}

/**
 * The record of a `wd.accounts` row when the root key `rootKey` signed exactly what it holds: the
 * grant and the credentials' digest (recomputed from the credentials when the row has them, and
 * then equal to the row's `cred_digest`; the row's own digest otherwise); null for anything
 * malformed or forged.
 */
export function verifyAccountRow(rootKey: string, row: AccountRecordRow): VerifiedAccountRecord | null {
  try {
    const grant = parseGrant({
      id: row.id, roles: row.roles, checkpoints: row.checkpoints, disabled: row.disabled, signingKey: row.signing_key,
      seq: Number(row.seq), issuedAt: isoInstant(row.issued_at),
    });
    if (!grant || typeof row.username !== 'string' || !row.username || typeof row.cred_digest !== 'string') return null;
    const hash = row.password_hash ?? null;
    const wrapped = row.signing_wrapped ?? null;
    if ((hash === null) !== (wrapped === null) || (hash !== null && typeof hash !== 'string') || (wrapped !== null && typeof wrapped !== 'string')) return null;
    const credentials = hash !== null && wrapped !== null ? { username: row.username, passwordHash: hash, signingWrapped: wrapped } : null;
    const credDigest = credentials ? accountCredDigest(credentials) : row.cred_digest;
    if (credDigest !== row.cred_digest) return null;
    if (!verifyAccountRecord(rootKey, grant, credDigest, row.root_sig)) return null;
    return { grant: canonicalGrant(grant), username: row.username, credentials, credDigest, rootSig: row.root_sig };
  } catch {
    return null;
  }
}
