/**
 * Issue 14, "Exports that open cleanly and say everything": crossings recorded through the real
 * engine whose traveler-controlled text is a formula (=HYPERLINK, +1, -2, @SUM, a tab- and a
 * CR-prefixed one) and Thai names, exported as csv and xlsx in English and Thai by export jobs
 * (crossings/export-jobs.ts, workers in reader.ts), read back (SheetJS; papaparse) and checked
 * cell by cell: neutralized text, real date cells in the checkpoint's local time, numbers as
 * numbers, headers and words in the language, frozen header, widths and autofilter, legal and
 * split sheet names, the anchor; progress, cancel (nothing audited), the one audited hand-over
 * with the SHA-256 of the exact bytes, and jobs that only their owner sees. Also the audit-trail export.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as XLSX from '@e965/xlsx';
import { strFromU8, unzipSync } from 'fflate';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { ApiCallError, type ApiClient } from '../../shared/client';
import type { ApiInput, AuditEntryView, ExportJobStatus, ExportResult, UiLang } from '../../shared/contract';
import { EXPORT_LABELS, type ExportLabelKey } from '../../shared/export-labels';
import { ANCHOR_MARKER, ANCHOR_SHEET, anchorFromCsv, anchorFromRows } from '../../electron/core/anchor';
import { auditHead } from '../../electron/core/audit';
import type { Engine } from '../../electron/core/api/engine';
import { csvWriter, partSheetName, wallClock, xlsxWriter, type Cell, type TableSpec } from '../../electron/core/crossings/export';
import { crossingsExportInput, EXPORT_KEEP_PER_ACCOUNT, ExportJobs, type ExportRunner } from '../../electron/core/crossings/export-jobs';
import { eventually, setUpEngine, settledClient } from './helpers';

const OFFICER = { username: 'off.niran', password: 'border desk shift 2' };
const SUPERVISOR = { username: 'sup.malee', password: 'lists and versions 1' };
const AUDITOR = { username: 'aud.ploy', password: 'verify the chain 3' };

/** 17:30 UTC on 7 December is 00:30 on 8 December in Bangkok: the local day differs from the UTC day. */
const START = Date.parse('2026-12-07T17:30:00Z');

const LIST = [
  'ID,Name,Date of birth,Nationality,Passport,Reference',
  'W-1,Somchai Testperson,1980-01-01,THA,AA1111111,-2024/17',
  'W-2,สมปอง ทดสอบดี,1987-03-14,THA,AB2222222,จ.101/2567',
].join('\n');

/** Traveler-controlled texts that a spreadsheet would read as formulas, as the traveler gave them. */
const FORMULAS = ['=HYPERLINK("http://x","y")', '+1', '-2', '@SUM(A1)'];
const TAB_FORMULA = '\t=1+2';
const CR_FORMULA = '\r=3+4';
const THAI_NAME = 'สมปอง ทดสอบดี';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const FORMULA_START = /^[=+\-@\t\r]/;

function labels(lang: UiLang, keys: ExportLabelKey[]): string[] {
  return keys.map((k) => EXPORT_LABELS[lang][k]);
}

const CROSSING_HEADER: ExportLabelKey[] = [
  'col.crossingId', 'col.time', 'col.timeZone', 'col.checkpoint', 'col.direction', 'col.outcome', 'col.officer', 'col.traveler',
  'col.dateOfBirth', 'col.sex', 'col.nationality', 'col.document', 'col.documentIssuer', 'col.nationalId', 'col.flagged', 'col.hits',
  'col.topScore', 'col.crossingNote', 'col.purged',
];
const HIT_OWN_HEADER: ExportLabelKey[] = [
  'col.list', 'col.listKind', 'col.version', 'col.entryId', 'col.listedName', 'col.reference', 'col.score', 'col.band', 'col.decision',
  'col.decidedBy', 'col.decidedAt', 'col.hitNote', 'col.correction',
];
const HIT_SHEET_HEADER: ExportLabelKey[] = ['col.crossingId', 'col.time', 'col.traveler', ...HIT_OWN_HEADER];
const AUDIT_HEADER: ExportLabelKey[] = ['col.seq', 'col.time', 'col.timeZone', 'col.actor', 'col.action', 'col.subject', 'col.details', 'col.hash', 'col.prevHash'];

/** A desk at Mae Sai (Asia/Bangkok) with a wanted list, an officer, a supervisor and an auditor, on a clock the test moves. */
async function desk() {
  const clock = { t: START };
  const { engine, api: admin } = await setUpEngine({ now: () => new Date(clock.t) });
  for (const [p, role] of [[OFFICER, 'officer'], [SUPERVISOR, 'supervisor'], [AUDITOR, 'auditor']] as const) {
    await admin.call('users.create', { ...p, roles: [role] });
  }
  const signedIn = async (p: { username: string; password: string }): Promise<ApiClient> => {
    const c = settledClient(engine);
    await c.call('auth.signIn', p);
    return c;
  };
  const officer = await signedIn(OFFICER);
  const supervisor = await signedIn(SUPERVISOR);
  const auditor = await signedIn(AUDITOR);
  await supervisor.call('watchlists.import', { listName: 'Police warrants', kind: 'wanted', fileName: 'warrants.csv', contentBase64: Buffer.from(LIST).toString('base64') });
  return { engine, admin, officer, supervisor, auditor, clock };
}

interface Recorded {
  id: string;
  /** The traveler's name as it is stored (tab and CR prefixes put in directly). */
  name: string;
  occurredAt: string;
}

/**
 * Records the crossings: one per formula name, a Thai traveler who hits W-2 (cleared, not the same
 * person), a traveler who hits W-1 (confirmed, held), and two whose stored names begin with a tab
 * and a CR (the API trims what it is given, so those are written into the database directly, as
 * text that arrived another way would be). A minute apart, newest last.
 */
async function recordAll(d: Awaited<ReturnType<typeof desk>>): Promise<Recorded[]> {
  const out: Recorded[] = [];
  const record = async (traveler: Record<string, string>, decide?: { entry: string; decision: 'confirmed' | 'not-same-person'; note: string }, crossing?: { outcome: 'passed' | 'held'; note?: string }) => {
    d.clock.t += 60_000;
    const s = await d.officer.call('screening.screen', { traveler });
    if (decide) {
      const hit = s.hits.find((h) => h.entryId === decide.entry);
      expect(hit, decide.entry).toBeDefined();
      await d.officer.call('screening.decide', { hitId: hit!.hitId!, decision: decide.decision, note: decide.note });
    }
    for (const h of s.hits.filter((x) => x.band !== 'weak' && x.decision === 'undecided' && x.entryId !== decide?.entry)) {
      await d.officer.call('screening.decide', { hitId: h.hitId!, decision: 'not-same-person' });
    }
    const c = await d.officer.call('crossings.record', { screeningId: s.screeningId, direction: 'entry', outcome: crossing?.outcome ?? 'passed', note: crossing?.note });
    out.push({ id: c.id, name: c.travelerName, occurredAt: c.occurredAt });
    return c;
  };
  for (const f of FORMULAS) await record({ fullName: f, documentNumber: 'P1234567' });
  await record({ fullName: THAI_NAME, dateOfBirth: '1987-03-14', nationality: 'THA' }, { entry: 'W-2', decision: 'not-same-person', note: '-2 cm taller, photo differs' });
  await record({ fullName: 'Somchai Testperson', dateOfBirth: '1980-01-01', nationality: 'THA', documentNumber: 'X1234567' },
    { entry: 'W-1', decision: 'confirmed', note: '=1+1 photo matches' }, { outcome: 'held', note: '@SUM(A1) handed to police' });
  const tab = await record({ fullName: 'Tab Placeholder' });
  const cr = await record({ fullName: 'Cr Placeholder' }, undefined, { outcome: 'passed', note: 'placeholder' });
  const db = d.engine.requireDb();
  const setName = db.prepare(`UPDATE screenings SET traveler = json_set(traveler, '$.fullName', ?) WHERE crossing_id = ?`);
  setName.run(TAB_FORMULA, tab.id);
  setName.run(CR_FORMULA, cr.id);
  db.prepare('UPDATE crossings SET note = ? WHERE id = ?').run(CR_FORMULA, cr.id);
  out.at(-2)!.name = TAB_FORMULA;
  out.at(-1)!.name = CR_FORMULA;
  return out;
}

/** Starts an export job, polls its status until it ended (every status seen), and takes it. */
async function exportJob<M extends 'crossings.exportStart' | 'audit.exportStart'>(
  api: ApiClient, method: M, payload: ApiInput<M>,
): Promise<{ jobId: string; statuses: ExportJobStatus[]; result: ExportResult; content: Buffer }> {
  const { jobId } = await api.call(method, payload);
  const statuses: ExportJobStatus[] = [];
  await eventually(async () => {
    const s = await api.call('exports.status', { jobId });
    statuses.push(s);
    return s.state === 'running' ? undefined : s;
  });
  const result = await api.call('exports.take', { jobId });
  return { jobId, statuses, result, content: Buffer.from(result.contentBase64, 'base64') };
}

async function refusal(p: Promise<unknown>): Promise<ApiCallError> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(ApiCallError);
  return e as ApiCallError;
}

function exportRows(engine: Engine): AuditEntryView[] {
  return (engine.requireDb().prepare(`SELECT seq, action, details FROM audit WHERE action LIKE 'export.%' ORDER BY seq`).all() as { seq: number; action: string; details: string }[])
    .map((r) => ({ seq: r.seq, action: r.action, details: JSON.parse(r.details) as Record<string, unknown> }) as unknown as AuditEntryView);
}

/** The csv's data rows (header first) and its anchor block; checks the BOM and the one empty line between. */
function readCsv(buf: Buffer): { rows: string[][]; raw: string; anchorRows: string[][] } {
  expect([...buf.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = buf.subarray(3).toString('utf8');
  const at = text.lastIndexOf(`\r\n\r\n${ANCHOR_MARKER}`);
  expect(at).toBeGreaterThan(0);
  const raw = text.slice(0, at);
  const rows = Papa.parse<string[]>(raw, { newline: '\r\n' }).data;
  return { rows, raw, anchorRows: Papa.parse<string[]>(text.slice(at + 4), { skipEmptyLines: true }).data };
}

/** Local wall-clock text (Bangkok, +7) of an ISO instant. */
const bangkok = (iso: string) => new Date(Date.parse(iso) + 7 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
/** An xlsx date serial as wall-clock text (to the second). */
const serialText = (v: number) => new Date(Math.round((v - 25569) * 86400) * 1000).toISOString().slice(0, 19).replace('T', ' ');

interface SheetCells {
  header: string[];
  rows: XLSX.CellObject[][];
  ws: XLSX.WorkSheet;
}

function sheetCells(wb: XLSX.WorkBook, name: string): SheetCells {
  const ws = wb.Sheets[name]!;
  const range = XLSX.utils.decode_range(ws['!ref']!);
  const rows: XLSX.CellObject[][] = [];
  for (let r = range.s.r; r <= range.e.r; r++) {
    const row: XLSX.CellObject[] = [];
    for (let c = range.s.c; c <= range.e.c; c++) row.push(ws[XLSX.utils.encode_cell({ r, c })] ?? { t: 'z' });
    rows.push(row);
  }
  return { header: rows[0]!.map((c) => String(c.v)), rows: rows.slice(1), ws };
}

/** Every text cell of every sheet: never a formula, never starting as one. */
function expectNoFormulas(wb: XLSX.WorkBook): void {
  for (const name of wb.SheetNames) {
    const ws = wb.Sheets[name]!;
    for (const [ref, cell] of Object.entries(ws)) {
      if (ref.startsWith('!')) continue;
      const c = cell as XLSX.CellObject;
      expect(c.f, `${name}!${ref}`).toBeUndefined();
      if (c.t === 's') expect(FORMULA_START.test(String(c.v)), `${name}!${ref} ${JSON.stringify(c.v)}`).toBe(false);
    }
  }
}

/** The xml of a sheet (by its position) from the zip. */
function sheetXml(buf: Buffer, index: number): string {
  return strFromU8(unzipSync(buf)[`xl/worksheets/sheet${index + 1}.xml`]!);
}

describe('crossings export: every cell read back', () => {
  it('csv and xlsx in English and Thai: neutralized text, local date cells, numbers, headers and words in the language, frozen header, widths, autofilter', async () => {
    const d = await desk();
    const recorded = await recordAll(d);
    const byName = new Map(recorded.map((r) => [r.name, r]));
    for (const lang of ['en', 'th'] as const) {
      const L = EXPORT_LABELS[lang];
      // ---- csv: one row per hit, a crossing without hits one row with empty hit cells.
      const csv = await exportJob(d.auditor, 'crossings.exportStart', { format: 'csv', lang });
      expect(csv.result.fileName).toBe('watchdesk-crossings-2026-12-08.csv');
      expect(csv.result.rows).toBe(recorded.length);
      const { rows, anchorRows } = readCsv(csv.content);
      expect(anchorFromRows(anchorRows).seq).toBeGreaterThan(0);
      expect(anchorFromCsv(csv.content).hash).toMatch(/^[0-9a-f]{64}$/);
      const header = labels(lang, [...CROSSING_HEADER, ...HIT_OWN_HEADER]);
      expect(rows[0]).toEqual(header);
      const col = (k: ExportLabelKey) => header.indexOf(L[k]);
      const data = rows.slice(1);
      for (const r of data) {
        expect(r).toHaveLength(header.length);
        for (const cell of r) expect(FORMULA_START.test(cell), JSON.stringify(cell)).toBe(false);
      }
      // Times: the checkpoint's wall clock, as date text Excel reads as a date; scores and counts as bare numbers.
      for (const rec of recorded) {
        const mine = data.filter((r) => r[col('col.crossingId')] === rec.id);
        expect(mine.length).toBeGreaterThan(0);
        for (const r of mine) {
          expect(r[col('col.time')]).toBe(bangkok(rec.occurredAt));
          expect(r[col('col.traveler')]).toBe(FORMULA_START.test(rec.name) ? `'${rec.name}` : rec.name);
          expect(r[col('col.direction')]).toBe(L['direction.entry']);
          expect(r[col('col.purged')]).toBe(L.no);
          expect(r[col('col.hits')]).toMatch(/^\d+$/);
        }
      }
      for (const f of [...FORMULAS, TAB_FORMULA, CR_FORMULA]) {
        expect(data.some((r) => r[col('col.traveler')] === `'${f}`), JSON.stringify(f)).toBe(true);
      }
      expect(data.find((r) => r[col('col.crossingId')] === byName.get(CR_FORMULA)!.id)![col('col.crossingNote')]).toBe(`'${CR_FORMULA}`);
      // The Thai traveler's hit on W-2 (cleared) and the confirmed one on W-1 (held, decision note a formula).
      const thai = data.find((r) => r[col('col.traveler')] === THAI_NAME && r[col('col.entryId')] === 'W-2')!;
      expect(thai).toBeDefined();
      expect(thai[col('col.listedName')]).toBe(THAI_NAME);
      expect(thai[col('col.reference')]).toBe('จ.101/2567');
      expect(thai[col('col.decision')]).toBe(L['decision.not-same-person']);
      expect(thai[col('col.hitNote')]).toBe("'-2 cm taller, photo differs");
      expect(thai[col('col.listKind')]).toBe(L['kind.wanted']);
      expect(thai[col('col.version')]).toBe('1');
      expect(thai[col('col.score')]).toMatch(/^(0\.\d+|1)$/);
      expect(thai[col('col.band')]).toBe(L['band.strong']);
      expect(thai[col('col.decidedBy')]).toBe(OFFICER.username);
      expect(thai[col('col.decidedAt')]).toMatch(/^2026-12-08 00:\d{2}:00$/);
      const held = data.find((r) => r[col('col.entryId')] === 'W-1' && r[col('col.decision')] === L['decision.confirmed'])!;
      expect(held[col('col.outcome')]).toBe(L['outcome.held']);
      expect(held[col('col.flagged')]).toBe(L.yes);
      expect(held[col('col.hitNote')]).toBe("'=1+1 photo matches");
      expect(held[col('col.crossingNote')]).toBe("'@SUM(A1) handed to police");
      expect(held[col('col.reference')]).toBe("'-2024/17");
      // A crossing without hits: one row, hit cells empty.
      const plain = data.filter((r) => r[col('col.crossingId')] === byName.get('+1')!.id);
      expect(plain).toHaveLength(1);
      expect(plain[0]!.slice(CROSSING_HEADER.length).every((c) => c === '')).toBe(true);

      // ---- xlsx: a crossings sheet, a hits sheet, the anchor.
      const x = await exportJob(d.auditor, 'crossings.exportStart', { format: 'xlsx', lang });
      expect(x.result.fileName).toBe('watchdesk-crossings-2026-12-08.xlsx');
      const wb = XLSX.read(x.content, { cellFormula: true, cellDates: false, cellStyles: true });
      expect(wb.SheetNames).toEqual([L['sheet.crossings'], L['sheet.hits'], ANCHOR_SHEET]);
      expectNoFormulas(wb);
      const cs = sheetCells(wb, L['sheet.crossings']);
      expect(cs.header).toEqual(labels(lang, CROSSING_HEADER));
      expect(cs.rows).toHaveLength(recorded.length);
      // Newest first.
      expect(cs.rows.map((r) => r[0]!.v)).toEqual([...recorded].reverse().map((r) => r.id));
      const ci = (k: ExportLabelKey) => cs.header.indexOf(L[k]);
      for (const r of cs.rows) {
        const rec = recorded.find((x2) => x2.id === r[0]!.v)!;
        const time = r[ci('col.time')]!;
        expect(time.t).toBe('n');
        expect(time.z).toBe('yyyy-mm-dd hh:mm:ss');
        expect(serialText(time.v as number)).toBe(bangkok(rec.occurredAt));
        expect(r[ci('col.hits')]!.t).toBe('n');
        const top = r[ci('col.topScore')]!;
        expect(['n', 'z']).toContain(top.t);
        if (top.t === 'n') expect(top.v as number).toBeGreaterThan(0);
        const name = r[ci('col.traveler')]!;
        expect(name.t).toBe('s');
        expect(name.v).toBe(FORMULA_START.test(rec.name) ? `'${rec.name}` : rec.name);
        expect(r[ci('col.direction')]!.v).toBe(L['direction.entry']);
      }
      const hs = sheetCells(wb, L['sheet.hits']);
      expect(hs.header).toEqual(labels(lang, HIT_SHEET_HEADER));
      const hi = (k: ExportLabelKey) => hs.header.indexOf(L[k]);
      expect(hs.rows.length).toBe(csv.content.length ? data.filter((r) => r[col('col.entryId')] !== '').length : 0);
      for (const r of hs.rows) {
        expect(r[hi('col.time')]!.t).toBe('n');
        expect(r[hi('col.score')]!.t).toBe('n');
        expect(r[hi('col.score')]!.z).toBe('0.000');
        expect(r[hi('col.version')]!.t).toBe('n');
        expect(r[hi('col.version')]!.v).toBe(1);
        const decided = r[hi('col.decidedAt')]!;
        expect(decided.t).toBe('n');
        expect(decided.z).toBe('yyyy-mm-dd hh:mm:ss');
        expect(serialText(decided.v as number)).toMatch(/^2026-12-08 00:\d{2}:00$/);
      }
      const w1 = hs.rows.find((r) => r[hi('col.entryId')]!.v === 'W-1' && r[hi('col.decision')]!.v === L['decision.confirmed'])!;
      expect(w1[hi('col.hitNote')]!.v).toBe("'=1+1 photo matches");
      expect(w1[hi('col.reference')]!.v).toBe("'-2024/17");
      expect(w1[hi('col.listKind')]!.v).toBe(L['kind.wanted']);
      // Frozen header, widths and an autofilter over every row of each sheet.
      for (const [i, s] of [cs, hs].entries()) {
        const xml = sheetXml(x.content, i);
        expect(xml).toMatch(/<pane [^>]*ySplit="1"[^>]*state="frozen"/);
        const last = XLSX.utils.encode_col(s.header.length - 1);
        expect(s.ws['!autofilter']?.ref).toBe(`A1:${last}${s.rows.length + 1}`);
        expect(xml).toMatch(/<col min="1" max="1" width="38"/);
        // The header row's cells carry the bold style (styles.xml), the data rows do not.
        expect(xml).toMatch(/<row r="1"[^>]*><c r="A1" s="\d+"/);
      }
      expect(strFromU8(unzipSync(x.content)['xl/styles.xml']!)).toContain('<b/>');
      // The anchor sheet reads back.
      const anchor = XLSX.utils.sheet_to_json<string[]>(wb.Sheets[ANCHOR_SHEET]!, { header: 1, raw: false });
      expect(anchorFromRows(anchor).seq).toBeGreaterThan(0);
    }
    d.engine.close();
  });

  it('a flagged export by name: file name and sheet say flagged; the audit row records the filter without the name', async () => {
    const d = await desk();
    await recordAll(d);
    const before = auditHead(d.engine.requireDb());
    const x = await exportJob(d.supervisor, 'crossings.exportStart', { format: 'xlsx', lang: 'en', flaggedOnly: true, name: 'Somchai Testperson', document: 'X1234567' });
    expect(x.result.fileName).toBe('watchdesk-flagged-crossings-2026-12-08.xlsx');
    const wb = XLSX.read(x.content);
    expect(wb.SheetNames).toEqual(['Flagged crossings', 'Hits', ANCHOR_SHEET]);
    const rows = XLSX.utils.sheet_to_json<Record<string, unknown>>(wb.Sheets['Flagged crossings']!);
    expect(rows.map((r) => r.Traveler)).toEqual(['Somchai Testperson']);
    // The anchor is the head of the snapshot, before the export's own row, which records the exact bytes.
    const anchor = XLSX.utils.sheet_to_json<string[]>(wb.Sheets[ANCHOR_SHEET]!, { header: 1, raw: false });
    expect(anchorFromRows(anchor).seq).toBe(before.seq);
    const row = exportRows(d.engine).at(-1)!;
    expect(row).toMatchObject({ action: 'export.crossings', details: { sha256: sha(x.content), rows: 1, format: 'xlsx', lang: 'en', filter: { flaggedOnly: true, name: true, document: true } } });
    expect(JSON.stringify(row.details)).not.toMatch(/Somchai|X1234567/i);
    expect(row.seq).toBeGreaterThan(before.seq);
    d.engine.close();
  });

  it("reads each crossing's own traveler when the screenings' rowids no longer match the crossings' hint (as after VACUUM)", async () => {
    const d = await desk();
    const recorded = await recordAll(d);
    const db = d.engine.requireDb();
    // Every hint now points at another crossing's screening (or at none): the id must decide.
    db.prepare('UPDATE crossings SET screening_row = screening_row % (SELECT count(*) FROM screenings) + 1').run();
    const x = await exportJob(d.supervisor, 'crossings.exportStart', { format: 'csv', lang: 'en' });
    const { rows } = readCsv(x.content);
    const col = rows[0]!.indexOf(labels('en', ['col.traveler'])[0]!);
    const id = rows[0]!.indexOf(labels('en', ['col.crossingId'])[0]!);
    const byId = new Map(rows.slice(1).map((r) => [r[id]!, r[col]!]));
    for (const r of recorded) expect(byId.get(r.id), r.id).toBe(FORMULA_START.test(r.name) ? `'${r.name}` : r.name);
    const page = await d.supervisor.call('crossings.list', { limit: 100 });
    expect(new Map(page.crossings.map((c) => [c.id, c.travelerName]))).toEqual(new Map(recorded.map((r) => [r.id, r.name])));
    d.engine.close();
  });
});

describe('export jobs', () => {
  /** Adds `n` copies of the desk's first crossing (new ids, a second apart), straight into the database. */
  function manyCrossings(engine: Engine, n: number): void {
    const db = engine.requireDb();
    const c = db.prepare('SELECT * FROM crossings LIMIT 1').get() as Record<string, string | number | null>;
    const s = db.prepare('SELECT * FROM screenings WHERE id = ?').get(c.screening_id) as Record<string, string | number | null>;
    const insS = db.prepare('INSERT INTO screenings (id, screened_at, officer_id, traveler, list_versions, crossing_id) VALUES (?,?,?,?,?,?)');
    const insC = db.prepare('INSERT INTO crossings (id, screening_id, occurred_at, time_zone, checkpoint, direction, outcome, officer_id, flagged, note) VALUES (?,?,?,?,?,?,?,?,?,?)');
    db.transaction(() => {
      for (let i = 0; i < n; i++) {
        const at = new Date(START - (i + 1) * 1000).toISOString();
        const sid = crypto.randomUUID();
        const cid = crypto.randomUUID();
        insS.run(sid, at, s.officer_id, s.traveler, s.list_versions, cid);
        insC.run(cid, sid, at, c.time_zone, c.checkpoint, c.direction, c.outcome, c.officer_id, c.flagged, c.note);
      }
    })();
  }

  it('report progress, hand the file out once (audited with the SHA-256 of the exact bytes), and only to the account that started them', async () => {
    const d = await desk();
    await recordAll(d);
    manyCrossings(d.engine, 3000);
    d.engine.exports.opts.batchSize = 50;
    // However fast the machine, the job is seen running (60 batches, 10 ms apart).
    d.engine.exports.opts.batchDelayMs = 10;
    const { jobId } = await d.auditor.call('crossings.exportStart', { format: 'xlsx', lang: 'th' });
    // Another account is told the job does not exist: status, take, cancel.
    for (const m of ['exports.status', 'exports.take', 'exports.cancel'] as const) {
      const e = await refusal(d.supervisor.call(m, { jobId }));
      expect(e.code).toBe('not_found');
      expect(e.reason).toBe('export.notFound');
    }
    // An officer may not export at all.
    expect((await refusal(d.officer.call('crossings.exportStart', { format: 'csv' }))).code).toBe('forbidden');
    // One export at a time per account.
    expect((await refusal(d.auditor.call('audit.exportStart', { format: 'csv' }))).reason).toBe('export.alreadyRunning');
    const statuses: ExportJobStatus[] = [];
    const final = await eventually(async () => {
      const s = await d.auditor.call('exports.status', { jobId });
      statuses.push(s);
      return s.state === 'running' ? undefined : s;
    });
    const total = 3000 + FORMULAS.length + 4;
    expect(statuses.some((s) => s.state === 'running' && s.total === total && s.done > 0 && s.done < total)).toBe(true);
    expect(statuses.filter((s) => s.state === 'running').map((s) => s.done)).toEqual([...statuses.filter((s) => s.state === 'running').map((s) => s.done)].sort((a, b) => a - b));
    expect(final).toMatchObject({ state: 'done', kind: 'crossings', format: 'xlsx', done: total, total, rows: total, fileName: 'watchdesk-crossings-2026-12-08.xlsx' });
    expect(final.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(exportRows(d.engine)).toEqual([]);
    const taken = await d.auditor.call('exports.take', { jobId });
    const bytes = Buffer.from(taken.contentBase64, 'base64');
    expect(bytes.length).toBe(final.bytes);
    expect(taken).toMatchObject({ sha256: sha(bytes), rows: total, fileName: final.fileName });
    expect(final.sha256).toBe(sha(bytes));
    expect(exportRows(d.engine)).toEqual([
      expect.objectContaining({ action: 'export.crossings', details: { sha256: sha(bytes), rows: total, format: 'xlsx', lang: 'th', filter: {} } }),
    ]);
    expect(XLSX.read(bytes).SheetNames).toEqual(['การผ่านแดน', 'ผลตรงกัน', ANCHOR_SHEET]);
    // A second take is refused, and audits nothing.
    expect((await refusal(d.auditor.call('exports.take', { jobId }))).reason).toBe('export.taken');
    expect(exportRows(d.engine)).toHaveLength(1);
    d.engine.close();
  });

  it('a cancelled export stops its workers, hands nothing out and audits nothing', async () => {
    const d = await desk();
    await recordAll(d);
    manyCrossings(d.engine, 3000);
    d.engine.exports.opts.batchSize = 20;
    // Still running when cancelled, however fast the machine (150 batches, 20 ms apart).
    d.engine.exports.opts.batchDelayMs = 20;
    const { jobId } = await d.auditor.call('crossings.exportStart', { format: 'xlsx' });
    await eventually(async () => {
      const s = await d.auditor.call('exports.status', { jobId });
      return s.done > 0 ? s : undefined;
    });
    const job = d.engine.exports.get(jobId, (await d.auditor.call('app.status')).user!.id);
    expect(job.state).toBe('running');
    await d.auditor.call('exports.cancel', { jobId });
    const s = await d.auditor.call('exports.status', { jobId });
    expect(s).toMatchObject({ state: 'cancelled', fileName: null, sha256: null });
    expect(job.chunks).toEqual([]);
    await job.settled;
    // Stopped: nothing more arrives from its workers.
    const bytes = job.bytes;
    await new Promise((r) => setTimeout(r, 500));
    expect(job.bytes).toBe(bytes);
    expect(job.chunks).toEqual([]);
    expect((await refusal(d.auditor.call('exports.take', { jobId }))).reason).toBe('export.notReady');
    expect(exportRows(d.engine)).toEqual([]);
    // The account may export again at once.
    const again = await exportJob(d.auditor, 'crossings.exportStart', { format: 'csv' });
    expect(again.result.rows).toBe(3000 + FORMULAS.length + 4);
    d.engine.close();
  });

  it('split a sheet that passes the row limit into "<name> (2)", "(3)" (a small injected limit), every part with its header', async () => {
    const d = await desk();
    await recordAll(d);
    d.engine.exports.opts.maxRowsPerSheet = 2;
    const x = await exportJob(d.auditor, 'crossings.exportStart', { format: 'xlsx', lang: 'en' });
    const wb = XLSX.read(x.content);
    // One data row per sheet (the header is the other): the 9 crossings on 9 sheets, each hit on its own.
    const n = FORMULAS.length + 4;
    const hits = (d.engine.requireDb().prepare('SELECT count(*) AS n FROM hits h JOIN crossings c ON c.screening_id = h.screening_id').get() as { n: number }).n;
    expect(hits).toBeGreaterThan(1);
    const parts = (name: string, k: number) => Array.from({ length: k }, (_, i) => (i ? `${name} (${i + 1})` : name));
    expect(wb.SheetNames).toEqual([...parts('Crossings', n), ...parts('Hits', hits), ANCHOR_SHEET]);
    const ids = parts('Crossings', n).flatMap((name) => {
      const rows = XLSX.utils.sheet_to_json<unknown[]>(wb.Sheets[name]!, { header: 1 });
      expect(rows[0]).toEqual(labels('en', CROSSING_HEADER));
      expect(rows).toHaveLength(2);
      return rows.slice(1).map((r) => r[0]);
    });
    expect(new Set(ids).size).toBe(n);
    for (const name of parts('Hits', hits)) expect(XLSX.utils.sheet_to_json<unknown[]>(wb.Sheets[name]!, { header: 1 })[0]).toEqual(labels('en', HIT_SHEET_HEADER));
    d.engine.close();
  });

  it('a failed export says why, hands nothing out and audits nothing; signing out forgets the account\'s exports', async () => {
    const d = await desk();
    await recordAll(d);
    // A time zone the reader cannot use: the export fails in its worker.
    d.engine.requireDb().prepare(`UPDATE settings SET value = 'Not/A_Zone' WHERE key = 'checkpoint.timeZone'`).run();
    const { jobId } = await d.auditor.call('crossings.exportStart', { format: 'csv', from: '2026-12-01' });
    const failed = await eventually(async () => {
      const s = await d.auditor.call('exports.status', { jobId });
      return s.state === 'running' ? undefined : s;
    });
    expect(failed).toMatchObject({ state: 'failed', fileName: null, error: { code: 'internal', reason: 'export.internal' } });
    expect((await refusal(d.auditor.call('exports.take', { jobId }))).reason).toBe('export.internal');
    expect((await refusal(d.auditor.call('crossings.export', { format: 'xlsx', from: '2026-12-01' }))).reason).toBe('export.internal');
    expect(exportRows(d.engine)).toEqual([]);
    d.engine.requireDb().prepare(`UPDATE settings SET value = 'Asia/Bangkok' WHERE key = 'checkpoint.timeZone'`).run();
    // Signing out forgets the account's exports, finished or not.
    const done = await exportJob(d.auditor, 'crossings.exportStart', { format: 'csv' });
    const { jobId: kept } = await d.auditor.call('crossings.exportStart', { format: 'csv' });
    await d.auditor.call('auth.signOut');
    const again = settledClient(d.engine);
    await again.call('auth.signIn', AUDITOR);
    for (const id of [done.jobId, kept]) expect((await refusal(again.call('exports.status', { jobId: id }))).reason).toBe('export.notFound');
    expect(exportRows(d.engine)).toHaveLength(1);
    d.engine.close();
  });
});

describe('the export registry (a runner without workers)', () => {
  it('keeps at most EXPORT_KEEP_PER_ACCOUNT ended exports per account, forgetting the oldest; others are never touched', async () => {
    const runner: ExportRunner = (_db, _key, _spec, hooks) => {
      hooks.onChunk(Buffer.from('file'));
      return { done: Promise.resolve({ items: 1, rows: 1 }), cancel: () => {} };
    };
    const jobs = new ExportJobs(60_000, runner);
    const input = crossingsExportInput({ format: 'csv', lang: 'en', flaggedOnly: false }, { viewer: { userId: 'a', roles: ['auditor'] }, timeZone: 'UTC', checkpoint: 'X', now: new Date(START) });
    const deps = (actorId: string) => ({ dbPath: '/nowhere', key: Buffer.alloc(32), actorId });
    const other = jobs.start(deps('b'), input);
    const mine: string[] = [];
    for (let i = 0; i < EXPORT_KEEP_PER_ACCOUNT + 2; i++) {
      const j = jobs.start(deps('a'), input);
      await j.settled;
      mine.push(j.id);
    }
    for (const id of mine.slice(0, 2)) expect(() => jobs.get(id, 'a')).toThrow(/no such export/);
    for (const id of mine.slice(2)) expect(jobs.get(id, 'a').status()).toMatchObject({ state: 'done', rows: 1, bytes: 4, sha256: sha(Buffer.from('file')) });
    expect(() => jobs.get(other.id, 'a')).toThrow(/no such export/);
    expect(jobs.get(other.id, 'b').state).toBe('done');
    const delivered: unknown[] = [];
    const taken = jobs.take(other.id, 'b', (e, c) => {
      delivered.push([e, c.toString()]);
      return 'caller';
    });
    expect(taken.rows).toBe(1);
    // Handed back to the caller: the bytes come with the result.
    expect(Buffer.from(taken.contentBase64, 'base64').toString()).toBe('file');
    expect(delivered).toEqual([[{ action: 'export.crossings', details: { sha256: sha(Buffer.from('file')), rows: 1, format: 'csv', lang: 'en', filter: {} } }, 'file']]);
    expect(() => jobs.take(other.id, 'b', () => {})).toThrow(/already handed out/);
    // Written by the engine itself (the CLI's --out): no base64 copy of the file comes back.
    const written = jobs.take(mine[2]!, 'a', () => 'file');
    expect(written).toMatchObject({ contentBase64: '', rows: 1, sha256: sha(Buffer.from('file')) });
    jobs.cancelAll();
  });
});

describe('the writers on plain batches', () => {
  const table: TableSpec = {
    sheet: 'Hits: all/[x]?',
    header: ['=Header', 'When', 'Score'],
    columns: [{ key: 'col.list', type: 'text', width: 10 }, { key: 'col.time', type: 'date', width: 20 }, { key: 'col.score', type: 'score', width: 8 }],
  };
  const anchor = { seq: 7, hash: 'a'.repeat(64), root: null, at: '2026-12-07T17:30:00.000Z' };
  const rows: Cell[][] = Array.from({ length: 7 }, (_, i) => [i % 2 ? `-${i}` : `row ${i}`, wallClock(`2026-12-07T17:3${i}:00Z`, 'Asia/Bangkok'), i / 10]);

  it('xlsx: legal sheet names, split at the injected limit, each part with its header and autofilter', async () => {
    const chunks: Buffer[] = [];
    const w = xlsxWriter((c) => chunks.push(c), 3);
    w.table(table);
    await w.rows(rows.slice(0, 4));
    await w.rows(rows.slice(4));
    await w.finish(anchor);
    const buf = Buffer.concat(chunks);
    const wb = XLSX.read(buf, { cellFormula: true });
    expect(wb.SheetNames).toEqual(['Hits  all  x', 'Hits  all  x (2)', 'Hits  all  x (3)', 'Hits  all  x (4)', ANCHOR_SHEET]);
    expectNoFormulas(wb);
    const all = wb.SheetNames.slice(0, 4).flatMap((n) => {
      const s = sheetCells(wb, n);
      expect(s.header).toEqual(["'=Header", 'When', 'Score']);
      expect(s.ws['!autofilter']?.ref).toBe(`A1:C${s.rows.length + 1}`);
      return s.rows;
    });
    expect(all.map((r) => r[0]!.v)).toEqual(['row 0', "'-1", 'row 2', "'-3", 'row 4', "'-5", 'row 6']);
    expect(all.map((r) => serialText(r[1]!.v as number))).toEqual(rows.map((r, i) => `2026-12-08 00:3${i}:00`));
    expect(all.map((r) => r[2]!.v)).toEqual(rows.map((r) => r[2]));
  });

  it("cuts a text cell at Excel's 32,767 characters in xlsx (with a mark), and keeps it whole in csv", async () => {
    const long = `=${'x'.repeat(40_000)}`;
    const spec: TableSpec = { sheet: 'T', header: ['A'], columns: [{ key: 'col.details', type: 'text', width: 10 }] };
    const xs: Buffer[] = [];
    const x = xlsxWriter((c) => xs.push(c));
    x.table(spec);
    await x.rows([[long]]);
    await x.finish(anchor);
    const v = String(XLSX.read(Buffer.concat(xs)).Sheets.T!.A2!.v);
    expect(v).toHaveLength(32_767);
    expect(v.startsWith("'=xxx")).toBe(true);
    expect(v.endsWith(' … [40001]')).toBe(true);
    const cs: Buffer[] = [];
    const c = csvWriter((b) => cs.push(b));
    c.table(spec);
    await c.rows([[long]]);
    await c.finish(anchor);
    expect(readCsv(Buffer.concat(cs)).rows[1]).toEqual([`'${long}`]);
  });

  it('keeps sheet names legal and within 31 characters when numbering parts', () => {
    expect(partSheetName('A'.repeat(40), 1)).toBe('A'.repeat(31));
    expect(partSheetName('A'.repeat(40), 12)).toBe(`${'A'.repeat(26)} (12)`);
    expect(partSheetName('ผลตรงกัน', 2)).toBe('ผลตรงกัน (2)');
  });

  it('csv: BOM, header, CRLF rows, dates as local text, numbers bare, then the anchor block anchorFromCsv reads', async () => {
    const chunks: Buffer[] = [];
    const w = csvWriter((c) => chunks.push(c));
    w.table(table);
    await w.rows(rows);
    await w.finish(anchor);
    const buf = Buffer.concat(chunks);
    const { rows: parsed, raw } = readCsv(buf);
    expect(parsed[0]).toEqual(["'=Header", 'When', 'Score']);
    expect(parsed.slice(1)).toEqual(rows.map((r, i) => [i % 2 ? `'-${i}` : `row ${i}`, `2026-12-08 00:3${i}:00`, String(r[2])]));
    expect(raw.split('\r\n')[2]).toBe("'-1,2026-12-08 00:31:00,0.1");
    expect(anchorFromCsv(buf)).toEqual(anchor);
  });
});

describe('the command line', () => {
  const CLI = join(import.meta.dirname, '../../bin/watchdesk.mjs');
  const run = (args: string[]) => {
    const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, WATCHDESK_USER: AUDITOR.username, WATCHDESK_PASSWORD: AUDITOR.password } });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };

  it('export crossings takes the filters of "crossings" and --lang; export audit takes a range, an action and --lang; both audited', async () => {
    const d = await desk();
    await recordAll(d);
    const dbPath = d.engine.opts.dbPath;
    d.engine.close();
    const dir = dirname(dbPath);
    const held = join(dir, 'held.xlsx');
    const r1 = run(['--db', dbPath, '--format', 'json', 'export', 'crossings', '--outcome', 'held', '--lang', 'th', '--out', held]);
    expect(r1.code, r1.err).toBe(0);
    expect(JSON.parse(r1.out)).toMatchObject({ rows: 1, sha256: sha(readFileSync(held)) });
    const wb = XLSX.read(readFileSync(held));
    expect(wb.SheetNames).toEqual(['การผ่านแดน', 'ผลตรงกัน', ANCHOR_SHEET]);
    expect(XLSX.utils.sheet_to_json<Record<string, unknown>>(wb.Sheets['การผ่านแดน']!)).toEqual([
      expect.objectContaining({ ผู้เดินทาง: 'Somchai Testperson', ผล: 'กักตัว', มีผลตรงกัน: 'ใช่' }),
    ]);
    const byName = join(dir, 'by-name.csv');
    const r2 = run(['--db', dbPath, 'export', 'crossings', '--name', 'Somchai Testperson', '--direction', 'entry', '--out', byName]);
    expect(r2.code, r2.err).toBe(0);
    expect(r2.out).toMatch(/^wrote 1 crossings to .*by-name\.csv \(sha256 [0-9a-f]{64}\)\n$/);
    const bad = run(['--db', dbPath, 'export', 'crossings', '--direction', 'sideways', '--out', join(dir, 'x.csv')]);
    expect(bad.code).toBe(1);
    expect(bad.err).toBe('watchdesk: --direction takes entry or exit\n');
    const audit = join(dir, 'audit.csv');
    const r3 = run(['--db', dbPath, '--format', 'json', 'export', 'audit', '--action', 'export', '--from', '2026-12-01', '--lang', 'th', '--out', audit]);
    expect(r3.code, r3.err).toBe(0);
    const { rows } = readCsv(readFileSync(audit));
    expect(rows[0]).toEqual(labels('th', AUDIT_HEADER));
    expect(rows.slice(1).map((r) => [r[3], r[4]])).toEqual([[AUDITOR.username, 'export.crossings'], [AUDITOR.username, 'export.crossings']]);
    const details = rows.slice(1).map((r) => JSON.parse(r[6]!) as Record<string, unknown>);
    expect(details).toEqual([
      expect.objectContaining({ sha256: sha(readFileSync(held)), rows: 1, format: 'xlsx', lang: 'th', filter: { outcome: 'held' }, delivery: 'file' }),
      expect.objectContaining({ sha256: sha(readFileSync(byName)), rows: 1, format: 'csv', lang: 'en', filter: { name: true, direction: 'entry' }, delivery: 'file' }),
    ]);
    expect(JSON.parse(r3.out)).toMatchObject({ rows: 2, sha256: sha(readFileSync(audit)) });
  }, 180_000);
});

describe('audit-trail export', () => {
  it('every row in the range as csv and xlsx, headers in the language, times as local date cells, one action', async () => {
    const d = await desk();
    await recordAll(d);
    const all = (await d.admin.call('audit.list', { limit: 1000 })).total;
    for (const lang of ['en', 'th'] as const) {
      const csv = await exportJob(d.auditor, 'audit.exportStart', { format: 'csv', lang, from: '2026-12-08', to: '2026-12-08' });
      expect(csv.result.fileName).toBe('watchdesk-audit-2026-12-08.csv');
      const { rows } = readCsv(csv.content);
      expect(rows[0]).toEqual(labels(lang, AUDIT_HEADER));
      const data = rows.slice(1);
      // Everything of 8 December local (from 17:00 UTC the day before) up to the export's anchor (its snapshot).
      const inRange = (d.engine.requireDb().prepare('SELECT count(*) AS n FROM audit WHERE at >= ? AND seq <= ?')
        .get('2026-12-07T17:00:00.000Z', anchorFromCsv(csv.content).seq) as { n: number }).n;
      expect(data).toHaveLength(inRange);
      expect(data.map((r) => Number(r[0]))).toEqual([...data.map((r) => Number(r[0]))].sort((a, b) => a - b));
      for (const r of data) {
        for (const cell of r) expect(FORMULA_START.test(cell)).toBe(false);
        expect(r[1]).toMatch(/^2026-12-08 00:\d{2}:\d{2}$/);
        expect(r[2]).toBe('Asia/Bangkok');
        expect(() => JSON.parse(r[6]!) as unknown).not.toThrow();
        expect(r[7]).toMatch(/^[0-9a-f]{64}$/);
      }
      expect(data.find((r) => r[4] === 'crossing.record')![3]).toBe(OFFICER.username);
    }
    const x = await exportJob(d.auditor, 'audit.exportStart', { format: 'xlsx', lang: 'th', action: 'crossing' });
    const wb = XLSX.read(x.content, { cellFormula: true, cellStyles: true });
    expect(wb.SheetNames).toEqual(['บันทึกการตรวจสอบ', ANCHOR_SHEET]);
    expectNoFormulas(wb);
    const s = sheetCells(wb, 'บันทึกการตรวจสอบ');
    expect(s.header).toEqual(labels('th', AUDIT_HEADER));
    expect(s.rows.map((r) => r[4]!.v)).toEqual(Array(FORMULAS.length + 4).fill('crossing.record'));
    for (const r of s.rows) {
      expect(r[0]!.t).toBe('n');
      expect(r[1]!.t).toBe('n');
      expect(r[1]!.z).toBe('yyyy-mm-dd hh:mm:ss');
      expect(serialText(r[1]!.v as number)).toMatch(/^2026-12-08 00:\d{2}:00$/);
    }
    expect(exportRows(d.engine).at(-1)).toMatchObject({ action: 'export.audit', details: { sha256: sha(x.content), rows: FORMULAS.length + 4, format: 'xlsx', lang: 'th', filter: { action: 'crossing' } } });
    expect(all).toBeGreaterThan(0);
    d.engine.close();
  });
});
