/**
 * Property/fuzz tests of the public-list readers (electron/core/watchlists/presets.ts: the UN
 * consolidated list XML and the OFAC SDN CSV set), issue 15: generated lists read with one entry
 * per named individual; damaged, truncated, re-encoded and hostile files (entities, deep nesting,
 * binary bytes, long remarks) are read or refused with a BadInputError and its reason code,
 * never another error, never a hang, never out of memory. Files are read in a worker thread
 * (fuzz-worker.ts) as parse.ts reads them: detectPreset, then the reader.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseOfacRemarks } from '../../electron/core/watchlists/presets';
import { applyByteEdits, byteEditOf, type CaseClock, concatBytes, fuzzHarness, fuzzParams, type WorkerOutcome } from './fuzz-support';
import { FIXTURES } from './helpers';

/** Slowest file allowed (ms); the worker is stopped (a hang) after HANG_MS. */
const CASE_BUDGET_MS = 2_000;
const HANG_MS = 10_000;

const { clock, worker } = fuzzHarness();

const enc = new TextEncoder();
const UN_FIXTURES = ['un-mini.xml', 'import/un-excerpt.xml'].map((f) => readFileSync(join(FIXTURES, f), 'utf8'));
// Plain Uint8Array copies: a Buffer's slice() is a view, and the edits below must never change a fixture.
const OFAC = ['sdn.csv', 'alt.csv', 'add.csv'].map((f) => new Uint8Array(readFileSync(join(FIXTURES, 'import', 'ofac', f))));

function readPreset(c: CaseClock, files: { fileName: string; bytes: Uint8Array }[], what: string): Promise<WorkerOutcome> {
  return worker.callClear(c, 'preset', { files }, what, { budgetMs: CASE_BUDGET_MS, hangMs: HANG_MS });
}

// --- byte-level and text-level mutations ---

/** One edit of a file's bytes: a flipped byte, a cut, up to 16 inserted bytes, a deleted range, up to 256 bytes repeated up to 50 times. */
const byteEdit = byteEditOf(16, { repeatLen: 256, repeatTimes: 50 });

/** Text encodings a list may arrive in: UTF-8 with or without BOM, UTF-16 LE/BE with BOM, Latin-1. */
const encoding = fc.constantFrom('utf8', 'utf8bom', 'utf16le', 'utf16be', 'latin1');
function encode(text: string, e: string): Uint8Array {
  if (e === 'utf8') return enc.encode(text);
  if (e === 'utf8bom') return concatBytes(new Uint8Array([0xef, 0xbb, 0xbf]), enc.encode(text));
  if (e === 'latin1') return Uint8Array.from(Buffer.from(text, 'latin1'));
  const le = Buffer.from(text, 'utf16le');
  if (e === 'utf16le') return concatBytes(new Uint8Array([0xff, 0xfe]), le);
  const be = Buffer.from(le);
  be.swap16();
  return concatBytes(new Uint8Array([0xfe, 0xff]), be);
}

// --- the UN list ---

const xmlEscape = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '').replace(/[\ud800-\udfff]/g, '');
const field = fc.oneof(
  { arbitrary: fc.string({ maxLength: 30 }), weight: 3 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }), weight: 1 },
  { arbitrary: fc.constantFrom('', ' ', 'SOMCHAI', 'สมชาย ใจดี', 'Iran (Islamic Republic of)', 'Thailand', '1961-07-04', '14 มี.ค. 2530', '1962', 'circa 1960', '2530', '-0-', 'Male', 'Female', 'na'), weight: 3 },
);
const unPerson = fc.record({
  first: field, second: fc.option(field), original: fc.option(field), gender: fc.option(field),
  aliases: fc.array(field, { maxLength: 3 }), dobs: fc.array(fc.record({ tag: fc.constantFrom('DATE', 'YEAR', 'FROM_YEAR'), v: field }), { maxLength: 3 }),
  nationalities: fc.array(field, { maxLength: 3 }), docs: fc.array(fc.record({ type: field, number: field, country: field }), { maxLength: 2 }),
});
type UnPerson = typeof unPerson extends fc.Arbitrary<infer T> ? T : never;

function unXml(people: UnPerson[], entities: number): string {
  const el = (tag: string, v: string | null) => (v === null ? '' : `<${tag}>${xmlEscape(v)}</${tag}>`);
  const body = people.map((p, i) => [
    '<INDIVIDUAL>', el('DATAID', String(9_000_000 + i)), el('FIRST_NAME', p.first), el('SECOND_NAME', p.second), el('NAME_ORIGINAL_SCRIPT', p.original), el('GENDER', p.gender),
    p.nationalities.length ? `<NATIONALITY>${p.nationalities.map((n) => el('VALUE', n)).join('')}</NATIONALITY>` : '',
    ...p.aliases.map((a) => `<INDIVIDUAL_ALIAS>${el('ALIAS_NAME', a)}</INDIVIDUAL_ALIAS>`),
    ...p.dobs.map((d) => `<INDIVIDUAL_DATE_OF_BIRTH>${el(d.tag, d.v)}</INDIVIDUAL_DATE_OF_BIRTH>`),
    ...p.docs.map((d) => `<INDIVIDUAL_DOCUMENT>${el('TYPE_OF_DOCUMENT', d.type)}${el('NUMBER', d.number)}${el('ISSUING_COUNTRY', d.country)}</INDIVIDUAL_DOCUMENT>`),
    '</INDIVIDUAL>',
  ].join('')).join('\n');
  const ents = Array.from({ length: entities }, (_, i) => `<ENTITY><DATAID>${i}</DATAID><FIRST_NAME>E${i}</FIRST_NAME></ENTITY>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<CONSOLIDATED_LIST dateGenerated="2026-11-30T00:00:00Z"><INDIVIDUALS>${body}</INDIVIDUALS><ENTITIES>${ents}</ENTITIES></CONSOLIDATED_LIST>`;
}

/** XML that readers choke on: entities and their definitions, CDATA, comments, processing instructions, deep nesting, stray tags. */
const XML_SNIPPETS = [
  '<INDIVIDUAL>', '</INDIVIDUAL>', '<INDIVIDUALS>', '</INDIVIDUALS>', '<CONSOLIDATED_LIST>', '</CONSOLIDATED_LIST>', '<![CDATA[', ']]>', '<!--', '-->',
  '&amp;', '&#0;', '&#xD800;', '&#x110000;', '&unknown;', '&lt', '<?pi x?>', '<VALUE/>', '<FIRST_NAME/>', '<FIRST_NAME>', '</FIRST_NAME>', '<a b="',
  '<!DOCTYPE CONSOLIDATED_LIST [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>',
  '<!DOCTYPE x SYSTEM "file:///etc/passwd">', '&c;', '&b;', '\u0000', '\ufeff', '\ud800', 'ก', '<INDIVIDUAL_DATE_OF_BIRTH><DATE>99/99/9999</DATE></INDIVIDUAL_DATE_OF_BIRTH>',
  '<NATIONALITY><VALUE>((((((((</VALUE></NATIONALITY>', '<INDIVIDUAL_DOCUMENT><NUMBER>__proto__</NUMBER></INDIVIDUAL_DOCUMENT>', '<__proto__>x</__proto__>', '<constructor>1</constructor>',
];
const textEdit = fc.oneof(
  fc.record({ kind: fc.constant('snippet' as const), at: fc.nat(), s: fc.constantFrom(...XML_SNIPPETS) }),
  fc.record({ kind: fc.constant('text' as const), at: fc.nat(), s: fc.string({ maxLength: 20 }) }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 200 }) }),
  fc.record({ kind: fc.constant('nest' as const), at: fc.nat(), depth: fc.integer({ min: 10, max: 5_000 }) }),
);
type TextEdit = typeof textEdit extends fc.Arbitrary<infer T> ? T : never;
function applyTextEdits(src: string, edits: TextEdit[]): string {
  let t = src;
  for (const e of edits) {
    const at = t.length ? e.at % t.length : 0;
    if (e.kind === 'snippet' || e.kind === 'text') t = t.slice(0, at) + e.s + t.slice(at);
    else if (e.kind === 'cut') t = t.slice(0, at) + t.slice(at + e.len);
    else t = `${t.slice(0, at)}${'<VALUE>'.repeat(e.depth)}x${'</VALUE>'.repeat(e.depth)}${t.slice(at)}`;
  }
  return t;
}

const unCase = fc.oneof(
  { arbitrary: fc.record({ people: fc.array(unPerson, { maxLength: 6 }), entities: fc.integer({ min: 0, max: 3 }), e: encoding }).map((x) => ({ kind: 'generated' as const, ...x })), weight: 3 },
  { arbitrary: fc.record({ src: fc.nat(UN_FIXTURES.length - 1), edits: fc.array(textEdit, { minLength: 1, maxLength: 4 }), e: encoding }).map((x) => ({ kind: 'text' as const, ...x })), weight: 4 },
  { arbitrary: fc.record({ src: fc.nat(UN_FIXTURES.length - 1), edits: fc.array(byteEdit, { minLength: 1, maxLength: 4 }) }).map((x) => ({ kind: 'bytes' as const, ...x })), weight: 3 },
  { arbitrary: fc.record({ bytes: fc.uint8Array({ maxLength: 300 }) }).map((x) => ({ kind: 'random' as const, ...x })), weight: 1 },
);

// --- the OFAC set ---

const REMARK_TOKENS = [
  'DOB ', '10 Dec 1948', 'circa 1960', '1960 to 1962', '1960-1962', 'alt. ', 'POB Testville', 'nationality ', 'citizen ', 'Iran', 'Thailand', 'Korea, North',
  'Passport ', 'National ID No. ', 'Cedula No. ', 'Tax ID No. ', 'No. ', '00123456', 'X-987 654', '(Iran)', '(', ')', ' issued 2001', ' expires 2030', 'Gender ', 'Male', 'Female',
  '; ', ';', '.', ' ', '   ', '\t', '"', '""', ',', '-0-', '\n', '\r\n', 'a.k.a. ', "'X'", 'ก', '\u001a',
];
const remark = fc.array(fc.constantFrom(...REMARK_TOKENS), { maxLength: 14 }).map((t) => t.join(''));
const csvField = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
const sdnRow = fc.record({
  id: fc.oneof(fc.integer({ min: 1, max: 99_999 }).map(String), fc.constantFrom('', '-0-', 'x', '12a')),
  name: fc.oneof(field, fc.constantFrom('TESTPERSON, Alpha', 'EXAMPLE, ', ', x', '-0-')),
  type: fc.constantFrom('individual', 'Individual', 'vessel', 'aircraft', '-0- ', '', 'entity'),
  program: fc.constantFrom('SDGT', 'CUBA', '-0-', ''),
  remarks: fc.oneof(remark, field),
  columns: fc.integer({ min: 1, max: 14 }),
});
type SdnRow = typeof sdnRow extends fc.Arbitrary<infer T> ? T : never;
function sdnCsv(rows: SdnRow[]): string {
  // The first row is always a well-formed individual, so that the file is recognised as sdn.csv.
  const all = [{ id: '9001', name: 'TESTPERSON, Alpha', type: 'individual', program: 'SDGT', remarks: 'DOB 1960', columns: 12 }, ...rows];
  return `${all.map((r) => {
    const cells = [r.id, `"${r.name.replace(/"/g, '""')}"`, `"${r.type}"`, `"${r.program}"`, '-0- ', '-0- ', '-0- ', '-0- ', '-0- ', '-0- ', '-0- ', csvField(r.remarks), '-0-', 'x'];
    return cells.slice(0, Math.max(r.columns, 1)).join(',');
  }).join('\r\n')}\r\n\u001a`;
}
const ofacCase = fc.oneof(
  { arbitrary: fc.record({ rows: fc.array(sdnRow, { maxLength: 8 }), companions: fc.subarray([1, 2]), e: encoding }).map((x) => ({ kind: 'generated' as const, ...x })), weight: 4 },
  { arbitrary: fc.record({ file: fc.nat(2), edits: fc.array(byteEdit, { minLength: 1, maxLength: 4 }), companions: fc.subarray([1, 2]) }).map((x) => ({ kind: 'bytes' as const, ...x })), weight: 4 },
  { arbitrary: fc.record({ bytes: fc.uint8Array({ maxLength: 300 }) }).map((x) => ({ kind: 'random' as const, ...x })), weight: 1 },
);

describe('fuzz: UN and OFAC readers (watchlists/presets.ts)', () => {
  it('UN XML: reads or refuses with a reason every generated, damaged and re-encoded file; one entry per named individual', async () => {
    const c = clock('presets UN XML (in a worker)');
    await fc.assert(fc.asyncProperty(unCase, async (k) => {
      let bytes: Uint8Array;
      if (k.kind === 'generated') bytes = encode(unXml(k.people, k.entities), k.e);
      else if (k.kind === 'text') bytes = encode(applyTextEdits(UN_FIXTURES[k.src]!, k.edits), k.e);
      else if (k.kind === 'bytes') bytes = applyByteEdits(enc.encode(UN_FIXTURES[k.src]), k.edits);
      else bytes = k.bytes;
      const o = await readPreset(c, [{ fileName: 'consolidated.xml', bytes }], `UN XML (${k.kind})`);
      if (k.kind === 'generated' && k.e !== 'latin1' && o.kind === 'answer') {
        const v = o.answer.value as { preset: string; entries: number; rowsRead: number; rejected: number; skipped: { entity: number } };
        expect(o.answer.error).toBeUndefined();
        expect(v).toMatchObject({ preset: 'un-xml', rowsRead: k.people.length, skipped: { entity: k.entities } });
        expect(v.entries + v.rejected).toBe(k.people.length);
      }
    }), fuzzParams(0x0e5e01));
    expect(c.cases).toBeGreaterThanOrEqual(10_000);
  });

  it('OFAC CSV: reads or refuses with a reason every generated, damaged and re-encoded set; one entry per named individual', async () => {
    const c = clock('presets OFAC CSV (in a worker)');
    await fc.assert(fc.asyncProperty(ofacCase, async (k) => {
      let files: { fileName: string; bytes: Uint8Array }[];
      if (k.kind === 'generated') files = [{ fileName: 'sdn.csv', bytes: encode(sdnCsv(k.rows), k.e) }, ...k.companions.map((i) => ({ fileName: ['', 'alt.csv', 'add.csv'][i]!, bytes: OFAC[i]! }))];
      else if (k.kind === 'bytes') files = [0, ...k.companions].map((i) => ({ fileName: ['sdn.csv', 'alt.csv', 'add.csv'][i]!, bytes: i === k.file ? applyByteEdits(OFAC[i]!, k.edits) : OFAC[i]! }));
      else files = [{ fileName: 'sdn.csv', bytes: k.bytes }];
      const o = await readPreset(c, files, `OFAC set (${k.kind})`);
      if (k.kind === 'generated' && (k.e === 'utf8' || k.e === 'utf8bom') && o.kind === 'answer') {
        const v = o.answer.value as { preset: string; entries: number; rowsRead: number; rejected: number };
        expect(o.answer.error).toBeUndefined();
        expect(v.preset).toBe('ofac-sdn');
        expect(v.entries + v.rejected).toBe(v.rowsRead);
        expect(v.entries).toBeGreaterThanOrEqual(1);
      }
    }), fuzzParams(0x0fac01));
    expect(c.cases).toBeGreaterThanOrEqual(10_000);
  });

  it('OFAC remarks: every generated remark gives its facts in a documented shape, every case fast', () => {
    const c = clock('presets parseOfacRemarks');
    fc.assert(fc.property(fc.oneof({ arbitrary: remark, weight: 4 }, { arbitrary: fc.string({ maxLength: 80 }), weight: 1 }), (text) => {
      const out = c.run(() => parseOfacRemarks(text));
      if (!out.ok) throw new Error(`unclear failure: ${String(out.error)}`);
      for (const d of out.value.dobs) expect(d).toMatch(/^\d{4}(-\d{2}(-\d{2})?)?$/);
      for (const d of out.value.documents) expect(d.number).toMatch(/^[0-9A-Z]+$/);
      for (const a of out.value.nationalities) expect(a).toMatch(/^[A-Z]{3}$/);
    }), fuzzParams(0x0fac02));
    expect(c.cases).toBeGreaterThanOrEqual(10_000);
    expect(c.maxMs).toBeLessThan(500);
  });

  it('OFAC remarks: stay fast on long remarks (up to 30,000 characters, in a worker): no super-linear matching', async () => {
    const c = clock('presets parseOfacRemarks (long remarks, in a worker)');
    const long = fc.record({
      unit: fc.oneof(remark.filter((r) => r.length > 0), fc.constantFrom(' ', '\t ', 'A ', '1 ', '( ', 'to ', ' -')),
      head: fc.constantFrom('', 'Passport A', 'DOB 1', 'National ID No. 1', 'nationality '), n: fc.integer({ min: 2_000, max: 30_000 }),
      tail: fc.constantFrom('', '!', 'x', ' (Iran) issued', '\n!'),
    });
    await fc.assert(fc.asyncProperty(long, async ({ unit: u, head, n, tail }) => {
      const text = head + u.repeat(Math.ceil(n / u.length)).slice(0, n) + tail;
      await worker.callClear(c, 'parseOfacRemarks', { text }, `parseOfacRemarks of ${text.length} characters`, { budgetMs: 1_000, hangMs: HANG_MS });
    }), fuzzParams(0x0fac03, 300));
  });

  it('regression: remarks with long runs of spaces are read at once (a document remark was cubic: 55 s at 4,000 spaces; a DOB range quadratic: 7 s at 40,000)', () => {
    const t = performance.now();
    expect(parseOfacRemarks(`Passport A${' '.repeat(4_000)}!`).documents).toEqual([]);
    expect(parseOfacRemarks(`DOB 1${' '.repeat(40_000)}x`).badDates).toHaveLength(1);
    expect(performance.now() - t).toBeLessThan(200);
    // The same readings as before.
    expect(parseOfacRemarks('Passport 00123456 (Iran); alt. Passport X-987 654; National ID No. 0012345 (Iran) issued 2001; Tax ID No. No. 9 expires 2030; Passport No.').documents).toEqual([
      { number: '00123456', type: 'passport', issuer: 'IRN' }, { number: 'X987654', type: 'passport', issuer: null },
      { number: '0012345', type: 'national-id', issuer: 'IRN' }, { number: '9', type: 'other', issuer: null }, { number: 'NO', type: 'passport', issuer: null },
    ]);
    expect(parseOfacRemarks('DOB 1960 to 1962; alt. DOB 1960-1962; DOB circa 14 Mar 1961').dobs).toEqual(['1960', '1960', '1961-03-14']);
  });

  it('regression: an sdn.csv saved with a UTF-8 byte-order mark is still the OFAC set (was read as an ordinary spreadsheet)', async () => {
    const o = await worker.call('preset', { files: [{ fileName: 'sdn.csv', bytes: concatBytes(new Uint8Array([0xef, 0xbb, 0xbf]), OFAC[0]!) }] }, HANG_MS);
    expect(o.kind === 'answer' && o.answer.value).toMatchObject({ preset: 'ofac-sdn', entries: 3, rejected: 1 });
  });

  it('regression: an OFAC file ending in 50,000 DOS end-of-file bytes is read at once (was quadratic: 22 s)', async () => {
    const sdn = concatBytes(OFAC[0]!, new Uint8Array(50_000).fill(0x1a), enc.encode('\r\n'));
    const o = await worker.call('preset', { files: [{ fileName: 'sdn.csv', bytes: sdn }] }, HANG_MS);
    expect(o.kind).toBe('answer');
    expect(o.kind === 'answer' && o.answer.value).toMatchObject({ preset: 'ofac-sdn', entries: 3, rejected: 1 });
    expect(o.kind === 'answer' && o.answer.ms).toBeLessThan(1_000);
  });
});
