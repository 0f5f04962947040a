/**
 * Signed list publications (electron/core/central/publication.ts), without a database: the
 * envelope's canonical form, the entries digest (any changed cell, order or count changes it),
 * and the reasons a desk refuses a publication.
 */
import { describe, expect, it } from 'vitest';
import {
  ENTRY_COLUMNS, EntriesDigest, entriesDigest, envelopeText, parseEnvelope, publicationMessage, signPublication, verifyPublication,
  type CentralEntry, type Envelope, type PublicationRow,
} from '../../electron/core/central/publication';
import type { TrustedPublisher } from '../../electron/core/central/trust';
import { fingerprint, newSigningKey, publicKeyOf, signText, type Signer } from '../../electron/core/signing';

function signer(): Signer {
  const key = newSigningKey();
  return { userId: 'u-1', key, fingerprint: fingerprint(publicKeyOf(key)) };
}

function entry(ord: number): CentralEntry {
  return {
    ord, id: `id-${ord}`, external_id: `W-${ord}`, source_row: ord + 2, content_hash: `h${ord}`, name_key: `k${ord}`,
    names: JSON.stringify([{ kind: 'primary', name: `TESTPERSON NUMBER${ord}` }]), match_keys: `m${ord}`, date_of_birth: '1970-01-01', sex: 'M',
    nationalities: '["THA"]', documents: '[]', reference: `R${ord}`, reason: null, remarks: 'made up',
  };
}

function envelope(p: Signer, over: Partial<Envelope> = {}): Envelope {
  const entries = [entry(0), entry(1)];
  const d = entriesDigest(entries);
  return {
    v: 1, action: 'publish', listId: '0b9d3c1e-0000-4000-8000-000000000001', listName: 'Made-up warrants', kind: 'wanted', seq: 3,
    versionId: '0b9d3c1e-0000-4000-8000-0000000000a1', versionNumber: 2, fileName: 'made-up.csv', sourceSha256: 'a'.repeat(64), sourceDate: null,
    entries: d.count, entriesSha256: d.sha256,
    settings: { strongThreshold: 0.9, reviewThreshold: null, weakThreshold: null, actionText: null, requireApproval: true, clearanceApproval: false, staleDays: 14 },
    publishedAt: '2025-01-02T03:04:05.678Z', publisher: p.fingerprint, ...over,
  };
}

function trustOf(...keys: { s: Signer; revokedAt?: string }[]): Map<string, TrustedPublisher> {
  return new Map(keys.map(({ s, revokedAt }) => [s.fingerprint, {
    publicKey: publicKeyOf(s.key), username: 'pub', certifiedAt: '2025-01-01T00:00:00.000Z', revokedAt: revokedAt ?? null,
  }]));
}

function rowOf(e: Envelope, s: Signer): PublicationRow {
  const signed = signPublication(e, s);
  return { list_id: e.listId, seq: String(e.seq), ...signed };
}

describe('envelope', () => {
  it('has one canonical text whatever order its keys were built in, and parses back only from it', () => {
    const p = signer();
    const e = envelope(p);
    const reordered = Object.fromEntries(Object.entries(e).reverse()) as unknown as Envelope;
    const text = envelopeText(e);
    expect(envelopeText(reordered)).toBe(text);
    expect(text.startsWith('{"action":"publish","entries":2,')).toBe(true);
    expect(text).not.toMatch(/\s"/);
    expect(parseEnvelope(text)).toEqual(e);
    // The same content written another way is not what anybody signed.
    expect(parseEnvelope(JSON.stringify(e))).toBeNull();
    expect(parseEnvelope(text.replace('"action":"publish",', '"action":"publish", '))).toBeNull();
  });

  it('normalizes the instant it signs', () => {
    const p = signer();
    expect(envelopeText(envelope(p, { publishedAt: '2025-01-02T10:04:05.678+07:00' }))).toContain('"publishedAt":"2025-01-02T03:04:05.678Z"');
  });

  it('refuses a shape other than the envelope: an extra or missing key, a wrong type, a bad digest, a bad band', () => {
    const p = signer();
    const good = envelope(p);
    const bad = (over: Record<string, unknown>) => parseEnvelope(envelopeText({ ...good, ...over }));
    expect(bad({})).not.toBeNull();
    expect(bad({ extra: 1 })).toBeNull();
    expect(bad({ seq: 0 })).toBeNull();
    expect(bad({ seq: 1.5 })).toBeNull();
    expect(bad({ action: 'delete' })).toBeNull();
    expect(bad({ kind: 'friends' })).toBeNull();
    expect(bad({ entriesSha256: 'xyz' })).toBeNull();
    expect(bad({ listName: '  ' })).toBeNull();
    expect(bad({ v: 2 })).toBeNull();
    expect(bad({ settings: { ...good.settings, strongThreshold: 1.5 } })).toBeNull();
    expect(bad({ settings: { ...good.settings, staleDays: 0 } })).toBeNull();
    expect(bad({ settings: { ...good.settings, more: true } })).toBeNull();
    const { sourceDate: _drop, ...missing } = good;
    expect(parseEnvelope(envelopeText(missing as Envelope))).toBeNull();
    expect(parseEnvelope('not json')).toBeNull();
    expect(parseEnvelope('null')).toBeNull();
  });

  it('cannot be signed for another publisher than the signer', () => {
    const p = signer();
    expect(() => signPublication(envelope(p, { publisher: signer().fingerprint }), p)).toThrow();
  });
});

describe('entries digest', () => {
  const entries = [entry(0), entry(1), entry(2)];
  const base = entriesDigest(entries);

  it('is the same fed page by page as whole', () => {
    const d = new EntriesDigest();
    d.add(entries[0]!);
    d.add(entries[1]!);
    d.add(entries[2]!);
    expect(d.finish()).toEqual(base);
    expect(base.count).toBe(3);
    expect(base.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each(ENTRY_COLUMNS.filter((c) => c !== 'ord'))('changes when the %s of one entry changes', (column) => {
    const doctored = entries.map((e) => ({ ...e }));
    const cell = doctored[1]![column];
    (doctored[1] as unknown as Record<string, unknown>)[column] = typeof cell === 'number' ? cell + 1 : `${cell ?? ''}x`;
    expect(entriesDigest(doctored).sha256).not.toBe(base.sha256);
  });

  it('tells null from an empty text', () => {
    const a = entries.map((e) => ({ ...e, reason: null }));
    const b = entries.map((e) => ({ ...e, reason: '' }));
    expect(entriesDigest(a).sha256).not.toBe(entriesDigest(b).sha256);
  });

  it('changes when an entry is left out, added, or two change places', () => {
    expect(entriesDigest(entries.slice(0, 2)).sha256).not.toBe(base.sha256);
    expect(entriesDigest([...entries, entry(3)]).sha256).not.toBe(base.sha256);
    const swapped = [{ ...entries[1]!, ord: 0 }, { ...entries[0]!, ord: 1 }, entries[2]!];
    expect(entriesDigest(swapped).sha256).not.toBe(base.sha256);
  });

  it('is broken when ord skips or repeats (what a page served twice or a gap would look like)', () => {
    expect(entriesDigest([entry(0), entry(2)]).sha256).toBe('broken');
    expect(entriesDigest([entry(0), entry(0)]).sha256).toBe('broken');
    expect(entriesDigest([entry(0), { ...entry(1), source_row: '3' as unknown as number }]).sha256).not.toBe(entriesDigest([entry(0), entry(1)]).sha256);
  });
});

describe('verifyPublication', () => {
  it('accepts a publication signed by a trusted key, newer than what the desk holds', () => {
    const p = signer();
    const e = envelope(p);
    const v = verifyPublication(rowOf(e, p), trustOf({ s: p }), 2);
    expect(v).toEqual({ ok: true, envelope: e });
    expect(verifyPublication(rowOf(e, p), trustOf({ s: p }), null).ok).toBe(true);
  });

  it('refuses a malformed envelope', () => {
    const p = signer();
    const row = rowOf(envelope(p), p);
    expect(verifyPublication({ ...row, envelope: `${row.envelope} ` }, trustOf({ s: p }), null)).toMatchObject({ ok: false, reason: 'central.malformed' });
  });

  it('refuses a key the root did not certify', () => {
    const p = signer();
    const other = signer();
    expect(verifyPublication(rowOf(envelope(p), p), trustOf({ s: other }), null)).toMatchObject({ ok: false, reason: 'central.untrustedKey' });
  });

  it('refuses a revoked key whatever date the publication claims', () => {
    const p = signer();
    const e = envelope(p, { publishedAt: '2020-01-01T00:00:00.000Z' });
    expect(verifyPublication(rowOf(e, p), trustOf({ s: p, revokedAt: '2025-06-01T00:00:00.000Z' }), null))
      .toMatchObject({ ok: false, reason: 'central.revokedKey' });
  });

  it('refuses a doctored envelope, a signature by another key, and an envelope signed for another list', () => {
    const p = signer();
    const other = signer();
    const trust = trustOf({ s: p }, { s: other });
    const row = rowOf(envelope(p), p);
    const doctored = envelopeText({ ...envelope(p), entriesSha256: 'b'.repeat(64) });
    expect(verifyPublication({ ...row, envelope: doctored }, trust, null)).toMatchObject({ ok: false, reason: 'central.badSignature' });
    // Signed by a trusted key, but not the one the envelope names as its publisher.
    const byOther = signText(other.key, publicationMessage(row.envelope));
    expect(verifyPublication({ ...row, signer: other.fingerprint, sig: byOther }, trust, null)).toMatchObject({ ok: false, reason: 'central.badSignature' });
    expect(verifyPublication({ ...row, sig: byOther }, trust, null)).toMatchObject({ ok: false, reason: 'central.badSignature' });
    expect(verifyPublication({ ...row, sig: 'AAAA' }, trust, null)).toMatchObject({ ok: false, reason: 'central.badSignature' });
    expect(verifyPublication({ ...row, list_id: '0b9d3c1e-0000-4000-8000-000000000002' }, trust, null)).toMatchObject({ ok: false, reason: 'central.badSignature' });
  });

  it('refuses a replay: a signed seq not above what the desk holds, or an old record under a new row seq', () => {
    const p = signer();
    const trust = trustOf({ s: p });
    const row = rowOf(envelope(p, { seq: 3 }), p);
    expect(verifyPublication(row, trust, 3)).toMatchObject({ ok: false, reason: 'central.replayed' });
    expect(verifyPublication(row, trust, 5)).toMatchObject({ ok: false, reason: 'central.replayed' });
    expect(verifyPublication({ ...row, seq: '7' }, trust, 5)).toMatchObject({ ok: false, reason: 'central.replayed' });
    expect(verifyPublication({ ...row, seq: '7' }, trust, null)).toMatchObject({ ok: false, reason: 'central.replayed' });
  });
});
