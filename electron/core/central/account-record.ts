/**
 * Canonical texts the department's root key signs (issue 16), kept apart from trust.ts so that
 * signing.ts (the desk's trust walk) can rebuild them without an import cycle: canonical JSON,
 * instants, and the account record (what the centre grants an account, and its credentials'
 * digest). Nothing here verifies a signature: trust.ts and signing.ts do, with these texts.
 */
import { createHash } from 'node:crypto';

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

/** Prefix of what the root key signs for an account record (NUL-separated, as the desk's own messages). */
export const ACCOUNT_RECORD_PREFIX = 'watchdesk-central-account\0';

/**
 * What the department grants an account, the part of its record a desk's audit trail keeps (ids
 * and roles only: no username, no hash). `id` is the account's global id (also its `users.id` on
 * every desk); `checkpoints` the ids of the checkpoints it may sign in at, null for every one;
 * `signingKey` its public Ed25519 key (base64 raw 32 bytes); `seq` its record's number, which only
 * increases; `issuedAt` an ISO instant.
 */
export interface AccountGrant {
  id: string;
  roles: string[];
  checkpoints: string[] | null;
  disabled: boolean;
  signingKey: string;
  seq: number;
  issuedAt: string;
}

/** The credentials of an account record, covered by the root signature through their digest (accountCredDigest). */
export interface AccountCredentials {
  username: string;
  /** Argon2id hash of the password (accounts.ts hashPassword). */
  passwordHash: string;
  /** The private signing key wrapped under the password (signing.ts wrapSigningKey). */
  signingWrapped: string;
}

/** SHA-256 (hex) of the canonical JSON of an account's credentials: what the root signature covers of them. */
export function accountCredDigest(c: AccountCredentials): string {
  return createHash('sha256').update(canonicalJson({ passwordHash: c.passwordHash, signingWrapped: c.signingWrapped, username: c.username })).digest('hex');
}

/** The grant as signed: its roles and checkpoints sorted, its instant in canonical ISO form, nothing else. */
export function canonicalGrant(g: AccountGrant): AccountGrant {
  return {
    id: g.id, roles: [...g.roles].sort(), checkpoints: g.checkpoints === null ? null : [...g.checkpoints].sort(),
    disabled: g.disabled, signingKey: g.signingKey, seq: g.seq, issuedAt: isoInstant(g.issuedAt),
  };
}

/**
 * The text the department root key signs for an account record: ACCOUNT_RECORD_PREFIX, the
 * canonical JSON of the grant (canonicalGrant), NUL, the credentials' digest (accountCredDigest).
 * Throws TypeError for a grant whose instant is not one.
 */
export function accountRecordMessage(grant: AccountGrant, credDigest: string): string {
  return `${ACCOUNT_RECORD_PREFIX}${canonicalJson(canonicalGrant(grant))}\0${credDigest}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `value` as an AccountGrant when it has exactly the grant's shape (uuid id and checkpoints,
 * string roles, a positive whole seq, an instant, a 32-byte key), else null. Used on what comes
 * from the centre and from audit rows alike, before any signature is checked.
 */
export function parseGrant(value: unknown): AccountGrant | null {
  if (!value || typeof value !== 'object') return null;
  const g = value as Record<string, unknown>;
  const strings = (x: unknown): x is string[] => Array.isArray(x) && x.every((s) => typeof s === 'string');
  if (typeof g.id !== 'string' || !UUID.test(g.id)) return null;
  if (!strings(g.roles) || (g.checkpoints !== null && !(strings(g.checkpoints) && g.checkpoints.every((c) => UUID.test(c))))) return null;
  if (typeof g.disabled !== 'boolean' || typeof g.signingKey !== 'string' || Buffer.from(g.signingKey, 'base64').length !== 32) return null;
  if (typeof g.seq !== 'number' || !Number.isSafeInteger(g.seq) || g.seq < 1) return null;
  if (typeof g.issuedAt !== 'string' || Number.isNaN(Date.parse(g.issuedAt))) return null;
  return { id: g.id, roles: g.roles, checkpoints: g.checkpoints, disabled: g.disabled, signingKey: g.signingKey, seq: g.seq, issuedAt: g.issuedAt };
}
