/**
 * Property/fuzz tests of the spreadsheet reader on text files (electron/core/spreadsheet/read.ts
 * readSpreadsheet with .csv, .tsv and .txt names), issue 15: random bytes, generated tables in
 * every delimiter, quoting (good and broken), line ending, encoding and byte-order mark, then
 * damaged; each is read or refused with a BadInputError and its reason code, never another
 * error, never a hang, never out of memory. Read in a worker thread (fuzz-worker.ts) under a time
 * limit, so that a case that never ends fails the test instead of freezing it.
 */
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { applyByteEdits, byteEditOf, fuzzHarness, fuzzParams } from './fuzz-support';

/** A file read over budgetMs is slow; one over hangMs, a hang (the worker is stopped). */
const LIMITS = { budgetMs: 2_000, hangMs: 10_000 };
const LONG_RUNS = 200;

const { clock, worker } = fuzzHarness();

const CELLS = ['', ' ', 'TESTPERSON ONE', 'สมชาย ใจดี', '1985-03-14', '14/03/2528', '0012345', '=1+1', '"', '""', 'a"b', ',', ';', '\t', '|', '\n', '\r\n', '\r', 'x\ny', '\u0000', '\u001a', '\ufeff', 'ก', 'é', '😀', '-0-', '__proto__', 'constructor'];
const cell = fc.oneof({ arbitrary: fc.constantFrom(...CELLS), weight: 3 }, { arbitrary: fc.string({ maxLength: 12 }), weight: 1 }, { arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }), weight: 1 });
const table = fc.record({
  rows: fc.array(fc.array(cell, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 8 }),
  delimiter: fc.constantFrom(',', ';', '\t', '|'),
  quoting: fc.constantFrom('minimal', 'all', 'none', 'broken'),
  eol: fc.constantFrom('\n', '\r\n', '\r'),
  encoding: fc.constantFrom('utf8', 'utf8bom', 'utf16le', 'utf16be', 'utf16le-nobom', 'win874', 'latin1'),
  ext: fc.constantFrom('csv', 'tsv', 'txt', 'CSV'),
});
type Table = typeof table extends fc.Arbitrary<infer T> ? T : never;

function render(t: Table): string {
  const q = (v: string) => {
    if (t.quoting === 'all') return `"${v.replace(/"/g, '""')}"`;
    if (t.quoting === 'none') return v;
    if (t.quoting === 'broken') return `"${v}`; // an opening quote never closed, quotes inside not doubled
    return /["\r\n]/.test(v) || v.includes(t.delimiter) ? `"${v.replace(/"/g, '""')}"` : v;
  };
  return t.rows.map((r) => r.map(q).join(t.delimiter)).join(t.eol);
}

function encode(text: string, e: Table['encoding']): Uint8Array {
  const le = () => Buffer.from(text, 'utf16le');
  switch (e) {
    case 'utf8': return Buffer.from(text, 'utf8');
    case 'utf8bom': return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    case 'utf16le': return Buffer.concat([Buffer.from([0xff, 0xfe]), le()]);
    case 'utf16be': return Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(le()).swap16()]);
    case 'utf16le-nobom': return le();
    case 'win874': return iconv.encode(text, 'win874');
    case 'latin1': return Buffer.from(text, 'latin1');
  }
}

const csvCase = fc.oneof(
  { arbitrary: fc.record({ t: table, edits: fc.array(byteEditOf(8), { maxLength: 3 }) }).map((x) => ({ kind: 'table' as const, ...x })), weight: 6 },
  { arbitrary: fc.record({ bytes: fc.uint8Array({ maxLength: 600 }), ext: fc.constantFrom('csv', 'tsv', 'txt') }).map((x) => ({ kind: 'random' as const, ...x })), weight: 2 },
  { arbitrary: fc.record({ magic: fc.constantFrom([0x50, 0x4b, 0x03, 0x04], [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], [0xff, 0xfe], [0xfe, 0xff], [0xef, 0xbb, 0xbf], [0x00]), rest: fc.uint8Array({ maxLength: 100 }) }).map((x) => ({ kind: 'magic' as const, ...x })), weight: 1 },
);

describe('fuzz: spreadsheet reader, text files (spreadsheet/read.ts)', () => {
  it('reads or refuses with a reason every generated text file, every case fast', async () => {
    const c = clock('csv readSpreadsheet (in a worker)');
    await fc.assert(fc.asyncProperty(csvCase, async (k) => {
      let bytes: Uint8Array;
      let name: string;
      if (k.kind === 'table') {
        bytes = applyByteEdits(encode(render(k.t), k.t.encoding), k.edits);
        name = `fuzz.${k.t.ext}`;
      } else if (k.kind === 'random') {
        bytes = k.bytes;
        name = `fuzz.${k.ext}`;
      } else {
        bytes = Uint8Array.from([...k.magic, ...k.rest]);
        name = 'fuzz.csv';
      }
      const o = await worker.callClear(c, 'readSpreadsheet', { bytes, fileName: name }, `readSpreadsheet(${name}, ${bytes.length} bytes, ${k.kind})`, LIMITS);
      // A well-formed UTF-8 table without a NUL byte is read, not refused, with at most one sheet row per line written.
      if (k.kind === 'table' && !k.edits.length && k.t.quoting !== 'broken' && ['utf8', 'utf8bom', 'utf16le', 'utf16be'].includes(k.t.encoding) && !k.t.rows.flat().some((v) => v.includes('\u0000'))) {
        expect(o.kind === 'answer' && o.answer.error).toBeUndefined();
        const sheets = (o.kind === 'answer' ? o.answer.value : []) as { rows: number }[];
        expect(sheets).toHaveLength(1);
        expect(sheets[0]!.rows).toBeLessThanOrEqual(k.t.rows.length + render(k.t).split(/\r\n|\r|\n/).length);
      }
    }), fuzzParams(0xc5f001));
    expect(c.cases).toBeGreaterThanOrEqual(10_000);
  }, 600_000);

  it('stays fast on long text files (up to 200,000 bytes of one repeated pattern): no super-linear reading', async () => {
    const c = clock('csv readSpreadsheet (long files, in a worker)');
    const long = fc.record({
      unit: fc.oneof(fc.array(fc.constantFrom(...CELLS, 'a', ',', '"'), { minLength: 1, maxLength: 4 }).map((u) => u.join('')), fc.constantFrom('\u001a', ' ', '"', ',', '\n', '\r', '""', 'a,"b', '\t\u001a')),
      n: fc.integer({ min: 10_000, max: 200_000 }), tail: fc.constantFrom('', 'x', '\u001a', '\n', '"'),
    }).filter((r) => r.unit.length > 0);
    await fc.assert(fc.asyncProperty(long, async ({ unit, n, tail }) => {
      const bytes = Buffer.from(unit.repeat(Math.ceil(n / unit.length)).slice(0, n) + tail, 'utf8');
      await worker.callClear(c, 'readSpreadsheet', { bytes, fileName: 'long.csv' }, `readSpreadsheet(long.csv, ${bytes.length} bytes)`, LIMITS);
    }), fuzzParams(0xc5f002, LONG_RUNS));
  }, 600_000);
});
