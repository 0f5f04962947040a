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

/** Prefix of what the root key signs to certify a publisher's key. */
export const PUBLISHER_CERT_PREFIX = 'watchdesk-publisher-v1\n';
/** Prefix of what the root key signs to revoke a key. */
export const REVOCATION_PREFIX = 'watchdesk-revoke-v1\n';

/**
 * JSON with object keys sorted (recursively) and no whitespace: the same value always gives the
 * same text, whatever order its keys were built in. Follows JSON.stringify otherwise (toJSON is
 * used, so a Date becomes its ISO text; undefined members are left out). Throws on a number that
 * JSON cannot hold (NaN, Infinity) or a bigint, so that a signature never covers a lossy text.
 */
export function canonicalJson(value: unknown): string {
  return encode(value) ?? 'null';
}

function encode(v: unknown): string | undefined {
  if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
    v = (v as { toJSON: () => unknown }).toJSON();
  }
  if (v === null) return 'null';
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return JSON.stringify(v);
    case 'number':
      if (!Number.isFinite(v)) throw new TypeError('canonical JSON holds finite numbers only');
      return JSON.stringify(v);
    case 'bigint':
      throw new TypeError('canonical JSON holds no bigint');
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    default:
      break;
  }
  if (Array.isArray(v)) return `[${v.map((x) => encode(x) ?? 'null').join(',')}]`;
  const obj = v as Record<string, unknown>;
  const parts: string[] = [];
  for (const k of Object.keys(obj).sort()) {
    const e = encode(obj[k]);
    if (e !== undefined) parts.push(`${JSON.stringify(k)}:${e}`);
  }
  return `{${parts.join(',')}}`;
}

/** An instant as signed: ISO-8601 UTC with milliseconds (a timestamptz read back gives the same text). */
export function isoInstant(t: Date | string): string {
  const d = t instanceof Date ? t : new Date(t);
  if (Number.isNaN(d.getTime())) throw new TypeError('not an instant');
  return d.toISOString();
}

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
