/**
 * Signed publications of list versions (DESIGN.md section 10, issue 16): what a publishing desk
 * signs when it publishes, rolls back or retires a list at the centre, and what every desk checks
 * before it applies one. A compromised central database can neither slip a doctored list onto the
 * desks nor replay an old one, because:
 *
 * - the envelope (canonical JSON, keys sorted, trust.ts canonicalJson) names the list, a per-list
 *   sequence number that only increases, the action, the version with its entry count and the
 *   SHA-256 of its entries (`entriesDigest`), and the list's settings; the publishing account's
 *   Ed25519 key signs `PUBLICATION_PREFIX + envelope`;
 * - a desk applies it only when the signer's key is certified by the department's root key and not
 *   revoked (trust.ts trustedPublishers), the signature verifies, the signed list id and sequence
 *   number are the row's, the number is above the one the desk has, and the entries it fetched
 *   give the signed digest (every column of every entry, in `ord` order, and the count).
 *
 * Rollback is a new publication (a new seq) naming an older version; a settings change is a new
 * publication of the same version; retirement is a publication with action 'retire'.
 *
 * Everything here is pure (no database): publish.ts and pull.ts do the reading and writing.
 */
import { createHash, type Hash } from 'node:crypto';
import type { ListKind } from '../../../shared/domain';
import type { ReasonCode } from '../../../shared/reasons';
import { signText, verifyText, type Signer } from '../signing';
import { canonicalJson, isoInstant, type TrustedPublisher } from './trust';

/** Prefix of what a publishing account's key signs: this line, then the canonical envelope. */
export const PUBLICATION_PREFIX = 'watchdesk-publication-v1\n';
/** First bytes hashed into an entries digest (the format's version). */
export const ENTRIES_DIGEST_PREFIX = 'watchdesk-entries-v1\n';

/** A list's settings as published (null: the default applies; local column names in store.ts ListRow). */
export interface PublicationSettings {
  /** Band thresholds (0..1 scores) or null for the default. */
  strongThreshold: number | null;
  reviewThreshold: number | null;
  weakThreshold: number | null;
  /** The action shown with a hit, or null for the kind's default. */
  actionText: string | null;
  /** A new version at a desk needs a second supervisor (four eyes). */
  requireApproval: boolean;
  /** Clearing a strong hit at the desk needs a supervisor's approval. */
  clearanceApproval: boolean;
  /** Days after which the list is stale, or null for the checkpoint's limit. */
  staleDays: number | null;
}

/** What a publication says; its canonical JSON is what the signature covers. */
export interface Envelope {
  v: 1;
  action: 'publish' | 'retire';
  listId: string;
  listName: string;
  kind: ListKind;
  /** Per-list sequence number, 1, 2, ... (only increases). */
  seq: number;
  /** The version made active (publish) or in force when the list was retired (retire). */
  versionId: string;
  versionNumber: number;
  fileName: string;
  /** SHA-256 (hex) of the source file(s) the version was imported from. */
  sourceSha256: string;
  /** The date the source file gives for itself (ISO day), or null: the list's age counts from it. */
  sourceDate: string | null;
  /** Number of entries of the version. */
  entries: number;
  /** entriesDigest of the version's entries (hex). */
  entriesSha256: string;
  settings: PublicationSettings;
  /** When it was signed (ISO instant). */
  publishedAt: string;
  /** Fingerprint of the signing key (signing.ts fingerprint). */
  publisher: string;
}

/** An entry as the centre holds it (`wd.entries` columns but version_id), `ord` 0..count-1. */
export interface CentralEntry {
  ord: number;
  id: string;
  external_id: string;
  source_row: number;
  content_hash: string;
  name_key: string | null;
  names: string;
  match_keys: string | null;
  date_of_birth: string | null;
  sex: string | null;
  nationalities: string;
  documents: string;
  reference: string | null;
  reason: string | null;
  remarks: string | null;
}

/** The columns of CentralEntry in the order the digest takes them (and wd.entries lists them). */
export const ENTRY_COLUMNS = [
  'ord', 'id', 'external_id', 'source_row', 'content_hash', 'name_key', 'names', 'match_keys', 'date_of_birth', 'sex',
  'nationalities', 'documents', 'reference', 'reason', 'remarks',
] as const satisfies readonly (keyof CentralEntry)[];

/**
 * The SHA-256 of a version's entries, fed one entry at a time in `ord` order (bounded memory for
 * any count): the prefix, then per entry the JSON array of its columns (ENTRY_COLUMNS order,
 * nulls as null) and a newline, then `count:N`. Any changed cell, a changed order, a missing or
 * extra entry changes it. An entry whose `ord` is not its position marks the digest broken
 * (`finish` then returns a value no publisher signs).
 */
export class EntriesDigest {
  private readonly hash: Hash = createHash('sha256').update(ENTRIES_DIGEST_PREFIX);
  private n = 0;
  private broken = false;

  /** Adds the next entry (ord must be the number of entries added so far). */
  add(e: CentralEntry): void {
    if (e.ord !== this.n) this.broken = true;
    const cells = ENTRY_COLUMNS.map((c) => e[c]);
    for (const c of cells) if (c !== null && typeof c !== 'string' && typeof c !== 'number') this.broken = true;
    this.hash.update(JSON.stringify(cells)).update('\n');
    this.n++;
  }

  /** Entries added so far. */
  get count(): number {
    return this.n;
  }

  /** The digest (hex) and count; call once. A broken sequence gives 'broken', never equal to a signed digest. */
  finish(): { count: number; sha256: string } {
    const sha256 = this.hash.update(`count:${this.n}`).digest('hex');
    return { count: this.n, sha256: this.broken ? 'broken' : sha256 };
  }
}

/** entriesDigest of a whole array (tests, small lists). */
export function entriesDigest(entries: Iterable<CentralEntry>): { count: number; sha256: string } {
  const d = new EntriesDigest();
  for (const e of entries) d.add(e);
  return d.finish();
}

/** The canonical text of an envelope (what is stored in `wd.publications.envelope`). Throws TypeError on a non-finite number. */
export function envelopeText(e: Envelope): string {
  return canonicalJson({ ...e, publishedAt: isoInstant(e.publishedAt) });
}

/** The exact text the publishing key signs. */
export function publicationMessage(envelopeJson: string): string {
  return PUBLICATION_PREFIX + envelopeJson;
}

/** A publication ready for `wd.publications`: envelope text, signer fingerprint, signature (base64). */
export interface SignedPublication {
  envelope: string;
  signer: string;
  sig: string;
}

/** Signs an envelope with `signer` (its fingerprint must be the envelope's publisher). */
export function signPublication(e: Envelope, signer: Signer): SignedPublication {
  if (e.publisher !== signer.fingerprint) throw new Error('the envelope names another publisher');
  const envelope = envelopeText(e);
  return { envelope, signer: signer.fingerprint, sig: signText(signer.key, publicationMessage(envelope)) };
}

/** A row of `wd.publications` as a desk reads it (seq as node-postgres gives a bigint: text). */
export interface PublicationRow {
  list_id: string;
  seq: string | number;
  envelope: string;
  signer: string;
  sig: string;
}

/** Why a publication is refused (reason codes of shared/reasons.ts). */
export type RefusalCode = Extract<ReasonCode, 'central.malformed' | 'central.untrustedKey' | 'central.revokedKey' | 'central.badSignature' | 'central.replayed'>;

/** The outcome of checking one publication row. */
export type Verdict = { ok: true; envelope: Envelope } | { ok: false; reason: RefusalCode; envelope: Envelope | null };

const KINDS: readonly string[] = ['wanted', 'at-risk', 'deny-entry', 'monitor'];
const isStr = (x: unknown): x is string => typeof x === 'string';
const isStrOrNull = (x: unknown): x is string | null => x === null || typeof x === 'string';
const isCount = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
const isScoreOrNull = (x: unknown): boolean => x === null || (typeof x === 'number' && x >= 0 && x <= 1);

/**
 * The envelope in `text` when it is one: valid JSON of the Envelope shape, written in canonical
 * form (so that what is parsed is exactly what was signed; no duplicate or reordered keys), and
 * nothing else. Null otherwise.
 */
export function parseEnvelope(text: string): Envelope | null {
  let e: Envelope;
  try {
    e = JSON.parse(text) as Envelope;
    if (canonicalJson(e) !== text) return null;
  } catch {
    return null;
  }
  if (!e || typeof e !== 'object') return null;
  const keys = ['action', 'entries', 'entriesSha256', 'fileName', 'kind', 'listId', 'listName', 'publishedAt', 'publisher', 'seq', 'settings',
    'sourceDate', 'sourceSha256', 'v', 'versionId', 'versionNumber'];
  if (Object.keys(e).join() !== keys.join()) return null;
  const s = e.settings as PublicationSettings | null;
  const ok = e.v === 1 && (e.action === 'publish' || e.action === 'retire') && isStr(e.listId) && isStr(e.listName) && e.listName.trim() !== ''
    && KINDS.includes(e.kind) && isCount(e.seq) && e.seq > 0 && isStr(e.versionId) && isCount(e.versionNumber) && isStr(e.fileName)
    && isStr(e.sourceSha256) && isStrOrNull(e.sourceDate) && isCount(e.entries) && isStr(e.entriesSha256) && /^[0-9a-f]{64}$/.test(e.entriesSha256)
    && isStr(e.publishedAt) && !Number.isNaN(Date.parse(e.publishedAt)) && isStr(e.publisher)
    && s !== null && typeof s === 'object'
    && Object.keys(s).join() === 'actionText,clearanceApproval,requireApproval,reviewThreshold,staleDays,strongThreshold,weakThreshold'
    && isScoreOrNull(s.strongThreshold) && isScoreOrNull(s.reviewThreshold) && isScoreOrNull(s.weakThreshold)
    && isStrOrNull(s.actionText) && typeof s.requireApproval === 'boolean' && typeof s.clearanceApproval === 'boolean'
    && (s.staleDays === null || (isCount(s.staleDays) && s.staleDays > 0));
  return ok ? e : null;
}

/**
 * Checks one publication row against the department's trusted publishers (trust.ts
 * trustedPublishers, already verified against the root key) and the sequence number the desk
 * holds for the list (`haveSeq`, null when it has none). In order: the envelope is well formed
 * (`central.malformed`); its signer is certified (`central.untrustedKey`) and not revoked
 * (`central.revokedKey`, whatever date the envelope claims: a stolen key can backdate); the
 * signature verifies and is by the envelope's publisher, for the row's list
 * (`central.badSignature`); the signed seq is the row's and above `haveSeq` (`central.replayed`:
 * an old signed record shown again). The entries digest is checked by the caller over what it
 * fetched (EntriesDigest).
 */
export function verifyPublication(row: PublicationRow, trusted: ReadonlyMap<string, TrustedPublisher>, haveSeq: number | null): Verdict {
  const envelope = parseEnvelope(row.envelope);
  if (!envelope) return { ok: false, reason: 'central.malformed', envelope: null };
  const key = trusted.get(row.signer);
  if (!key) return { ok: false, reason: 'central.untrustedKey', envelope };
  if (key.revokedAt !== null) return { ok: false, reason: 'central.revokedKey', envelope };
  if (envelope.publisher !== row.signer || !verifyText(key.publicKey, publicationMessage(row.envelope), row.sig)) {
    return { ok: false, reason: 'central.badSignature', envelope };
  }
  if (envelope.listId !== row.list_id) return { ok: false, reason: 'central.badSignature', envelope };
  if (String(envelope.seq) !== String(row.seq) || (haveSeq !== null && envelope.seq <= haveSeq)) return { ok: false, reason: 'central.replayed', envelope };
  return { ok: true, envelope };
}
