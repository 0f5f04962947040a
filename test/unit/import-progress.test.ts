/**
 * Big and wide files (issue 13, part D): the import's progress moves through every pass over an
 * xlsx sheet (open and shared strings, the head, the date-of-birth prescan, the conversion) instead
 * of reaching its cap before the rows are converted; the one-column read the prescan uses gives
 * the same cells and rows as a full read; the packed shared-strings table gives back every text;
 * an import job's fraction moves while the file is hashed, before the parse worker (whose modules
 * take a second or so to load) reports.
 * Workbooks are generated here (made-up data).
 */
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { cellText, openWorkbook, type Cell } from '../../electron/core/spreadsheet/read';
import { PackedStrings } from '../../electron/core/spreadsheet/xlsx';
import { parseImport } from '../../electron/core/watchlists/parse';
import { setUpEngine, syntheticCsv } from './helpers';

const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** A one-sheet xlsx: `rows` are cell XML strings per row (row numbers from 1), `sst` the shared strings. */
function workbook(rows: string[], sst: string[], after = ''): Uint8Array {
  const data = rows.map((cells, i) => `<row r="${i + 1}">${cells}</row>`).join('');
  return zipSync({
    '[Content_Types].xml': strToU8('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>'),
    '_rels/.rels': strToU8(`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`),
    'xl/workbook.xml': strToU8(`<workbook ${NS}><sheets><sheet name="List" sheetId="1" r:id="rId1"/></sheets></workbook>`),
    'xl/_rels/workbook.xml.rels': strToU8(`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`),
    'xl/sharedStrings.xml': strToU8(`<sst ${NS}>${sst.map((s) => `<si><t>${s}</t></si>`).join('')}</sst>`),
    'xl/worksheets/sheet1.xml': strToU8(`<worksheet ${NS}><sheetData>${data}</sheetData>${after}</worksheet>`),
  }, { level: 6 });
}

/**
 * A made-up list of `n` people: a title row, a blank row, the header (ID, name, Thai name, date
 * of birth as text, passport), then one row each; names and Thai names are shared strings.
 */
function peopleBook(n: number): Uint8Array {
  const sst = ['ID', 'Name', 'ชื่อ', 'Date of birth', 'Passport number', 'รายชื่อบุคคล (ตัวอย่าง)'];
  const s = (ref: string, i: number) => `<c r="${ref}" t="s"><v>${i}</v></c>`;
  const t = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;
  const rows = [s('A1', 5), '', [0, 1, 2, 3, 4].map((k) => s(`${'ABCDE'[k]}3`, k)).join('')];
  for (let i = 0; i < n; i++) {
    const r = i + 4;
    sst.push(`SOMCHAI TESTPERSON ${i}`, `สมชาย ทดสอบ ${i}`);
    rows.push(`<c r="A${r}"><v>${100000 + i}</v></c>${s(`B${r}`, sst.length - 2)}${s(`C${r}`, sst.length - 1)}`
      + `${t(`D${r}`, `${String(1 + (i % 28)).padStart(2, '0')}/${String(1 + (i % 12)).padStart(2, '0')}/${1950 + (i % 50)}`)}${t(`E${r}`, `AA${String(i).padStart(7, '0')}`)}`);
  }
  return workbook(rows, sst);
}

describe('import progress through every pass over an xlsx sheet', () => {
  it('moves from the start and keeps moving while the rows are converted (not capped by the prescan)', () => {
    const n = 30_000;
    const content = peopleBook(n);
    // Every progress call, with the number of entries handed on so far.
    const seen: { fraction: number; entries: number }[] = [];
    let entries = 0;
    parseImport({ files: [{ fileName: 'people.xlsx', content }] }, {
      meta: () => {},
      entries: (batch) => void (entries += batch.length),
      progress: (fraction) => {
        if (!seen.length || seen[seen.length - 1]!.fraction !== fraction) seen.push({ fraction, entries });
      },
    });
    expect(entries).toBe(n);
    const fractions = seen.map((p) => p.fraction);
    // Never backwards; within 0..1; the last is 1.
    expect(fractions.every((f, i) => f >= 0 && f <= 1 && (i === 0 || f >= fractions[i - 1]!))).toBe(true);
    expect(fractions[fractions.length - 1]).toBe(1);
    // It moves before the first entry (the read itself is reported).
    expect(seen.some((p) => p.fraction > 0 && p.entries === 0)).toBe(true);
    // While entries are converted (after the first batch, before the last), the fraction still
    // has most of the way to go and rises in several steps (the conversion is most of the work):
    // it was at its 0.99 cap once the head and the date prescan had read the sheet twice.
    const during = seen.filter((p) => p.entries > 0 && p.entries < n && p.fraction < 1);
    expect(during.length).toBeGreaterThanOrEqual(3);
    expect(during[0]!.fraction).toBeLessThan(0.7);
    expect(during[during.length - 1]!.fraction - during[0]!.fraction).toBeGreaterThan(0.3);
  }, 60_000);

  it('planReads spreads the fraction over the passes announced; without it a further read still moves', () => {
    const content = Buffer.from(peopleBook(20_000));
    const trace = (plan: boolean) => {
      const calls: number[] = [];
      const book = openWorkbook(content, 'people.xlsx', (f) => calls.push(f));
      book.readRows('List', (_c, n) => n < 10);
      if (plan) book.planReads('List', 1, 1);
      const marks: number[] = [calls.length];
      book.readRows('List', () => {}, { columns: [3] });
      marks.push(calls.length);
      book.readRows('List', () => {});
      return { calls, marks };
    };
    for (const plan of [true, false]) {
      const { calls, marks } = trace(plan);
      expect(calls.every((f, i) => f >= 0 && f < 1 && (i === 0 || f >= calls[i - 1]!))).toBe(true);
      // The last full read still moves the fraction: by its share of the plan when announced,
      // else by what is left (never backwards, never past 0.99).
      const last = calls.slice(marks[1]);
      expect(last.length).toBeGreaterThanOrEqual(2);
      expect(last[last.length - 1]!).toBeGreaterThan(calls[marks[1]! - 1]!);
      if (plan) expect(last[last.length - 1]! - calls[marks[1]! - 1]!).toBeGreaterThan(0.2);
    }
  });
});

describe('one-column read (ReadOptions.columns)', () => {
  it('gives the same cells in that column and the same rows as a full read, merges from the left included', () => {
    const rows = [
      '<c r="A1" t="inlineStr"><is><t>title</t></is></c>',
      '<c r="A2" t="inlineStr"><is><t>Name</t></is></c><c r="B2" t="inlineStr"><is><t>DOB</t></is></c>',
      '<c r="A3" t="inlineStr"><is><t>X</t></is></c><c r="B3" t="inlineStr"><is><t>01/02/1990</t></is></c>',
      '<c r="A4" t="inlineStr"><is><t>Y</t></is></c>',
      // A merge A5:B5 copies A5's value into B5.
      '<c r="A5"><v>250101</v></c><c r="B5"/>',
      '<c r="C6" t="str"><v></v></c>',
      '<c r="A7" t="inlineStr"><is><t>Z</t></is></c><c r="B7" s="0"><v>32000</v></c>',
    ];
    const content = Buffer.from(workbook(rows, [], '<mergeCells count="1"><mergeCell ref="A5:B5"/></mergeCells>'));
    const read = (columns?: number[]) => {
      const out: { row: number; b: string }[] = [];
      openWorkbook(content, 'x.xlsx').readRows('List', (cells: Cell[], row) => void out.push({ row, b: cellText(cells[1]) }), columns ? { columns } : undefined);
      return out;
    };
    const full = read();
    expect(full.map((r) => r.row)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(read([1])).toEqual(full);
    expect(full.find((r) => r.row === 5)!.b).toBe('250101');
  });
});

describe('packed shared strings', () => {
  it('gives back every text exactly: Latin-1, Thai (one byte a character), Thai mixed with other scripts, emoji, empty, lone surrogates', () => {
    // Every Thai code point Windows-874 holds, ASCII controls and punctuation, and Thai beside Latin-1 or Lao (UTF-16).
    const thai = Array.from({ length: 0x5b }, (_v, k) => String.fromCharCode(0x0e01 + k)).filter((c) => c < '\u0e3b' || c > '\u0e3e').join('');
    const texts = ['', 'SOMCHAI', 'Müller ß', 'สมชาย ทดสอบ', thai, `\t\n ${thai} !~\u007f`, 'สมชาย Müller', 'ສົມຊາຍ สมชาย', '\u0e3b\u0e5c',
      '😀 名前', '\ud800x', 'a'.repeat(70_000), 'ก'.repeat(40_000)];
    const p = new PackedStrings();
    for (let k = 0; k < 200; k++) for (const t of texts) p.push(`${t}${k || ''}`);
    expect(p.length).toBe(200 * texts.length);
    for (let k = 0; k < 200; k++) texts.forEach((t, j) => expect(p.get(k * texts.length + j)).toBe(`${t}${k || ''}`));
    expect(p.get(-1)).toBeUndefined();
    expect(p.get(p.length)).toBeUndefined();
    expect(p.get(1.5)).toBeUndefined();
  });
});

describe('import job progress before the parse worker reports', () => {
  it('moves while the file is hashed on the engine thread, before the worker exists, and the event loop turns meanwhile', async () => {
    const { api, engine } = await setUpEngine();
    // About 13 MB: hashed in 4 MB slices, one macrotask each.
    const { jobId } = await api.call('watchlists.importStart', { listName: 'Big', kind: 'wanted', fileName: 'big.csv', contentBase64: syntheticCsv(200_000) });
    const job = engine.jobs.get(jobId);
    let early = 0;
    for (let i = 0; i < 10_000 && !job.worker && job.state === 'running'; i++) {
      if (job.fraction > 0) early++;
      await new Promise((r) => setImmediate(r));
    }
    expect(early).toBeGreaterThan(0);
    expect(job.fraction).toBeLessThanOrEqual(0.02 + 1e-9);
    await api.call('watchlists.importCancel', { jobId });
    await job.done.catch(() => {});
    expect(job.state).toBe('cancelled');
    engine.close();
  }, 60_000);
});

describe('match keys computed beside the read (keys-beside.ts, a big file)', () => {
  it('stores the same entries and match keys, in the same order, as keys computed by the parse worker itself', async () => {
    const rows = ['id,name,date of birth'];
    const thai = ['สมชาย ทดสอบดี', 'นายประเสริฐ ตัวอย่างวงศ์', 'กนกพร สมมุติสุข', 'ณัฐ จันทร์แต่งขึ้น', 'SOMCHAI TESTPERSON'];
    for (let i = 0; i < 5_000; i++) rows.push(`T-${i},${thai[i % thai.length]} ${i},${1950 + (i % 50)}-01-0${1 + (i % 9)}`);
    const content = Buffer.from(rows.join('\n')).toString('base64');
    const stored = async (besideBytes: string | undefined) => {
      const before = process.env.WATCHDESK_KEYS_BESIDE_BYTES;
      if (besideBytes === undefined) delete process.env.WATCHDESK_KEYS_BESIDE_BYTES;
      else process.env.WATCHDESK_KEYS_BESIDE_BYTES = besideBytes;
      try {
        const { api, engine } = await setUpEngine();
        const r = await api.call('watchlists.import', { listName: 'Keys', kind: 'wanted', fileName: 'k.csv', contentBase64: content });
        expect([r.rowsRead, r.imported]).toEqual([5_000, 5_000]);
        const out = engine.requireDb().prepare('SELECT external_id, source_row, names, match_keys FROM entries ORDER BY rowid').all();
        await engine.shutdown();
        return out;
      } finally {
        if (before === undefined) delete process.env.WATCHDESK_KEYS_BESIDE_BYTES;
        else process.env.WATCHDESK_KEYS_BESIDE_BYTES = before;
      }
    };
    const beside = await stored('0');
    const inWorker = await stored('1000000000');
    expect(beside).toHaveLength(5_000);
    expect((beside[0] as { match_keys: string }).match_keys).toBeTruthy();
    expect(beside).toEqual(inWorker);
  }, 120_000);
});
