/**
 * The worker thread of the fuzz tests (fuzz-support.ts FuzzWorker): runs one parser call per
 * message and answers how it ended (a value's summary, or the thrown error's class and reason
 * code) and how long it took. Run in a worker so that a case that never ends, or that exhausts
 * memory, fails the test (the parent terminates it) instead of freezing the test process.
 */
import { parentPort } from 'node:worker_threads';
import { MrzError, readMrz } from '../../shared/mrz';
import { parseDate } from '../../shared/dates';
import { WatchdeskError } from '../../electron/core/errors';
import { readSpreadsheet } from '../../electron/core/spreadsheet/read';
import { detectPreset, parseOfac, parseOfacRemarks, parseUnXml } from '../../electron/core/watchlists/presets';
import { RowConverter } from '../../electron/core/watchlists/mapping';
import { isValidThaiId, normalizeDocumentNumber, sexFromTitle, splitList, toAlpha3, toSex } from '../../electron/core/watchlists/values';
import { workerMain } from '../../electron/core/workers';

/** What the parent asks: a target by name and its arguments (structured-cloneable). */
export interface FuzzCall {
  id: number;
  target: keyof typeof TARGETS;
  args: unknown;
}

/** How a call ended: `value` summarises a result; `error` names a thrown value's class and reason code. */
export interface FuzzAnswer {
  id: number;
  ms: number;
  value?: unknown;
  error?: { name: string; watchdesk: boolean; mrz: boolean; code: string | null; reason: string | null; message: string; stack: string };
}

const TARGETS = {
  /** Reads a spreadsheet; answers its sheets' names and row counts. */
  readSpreadsheet: (a: { bytes: Uint8Array; fileName: string }) =>
    readSpreadsheet(Buffer.from(a.bytes.buffer, a.bytes.byteOffset, a.bytes.length), a.fileName).map((s) => ({ name: s.name, rows: s.rows.length })),
  parseDate: (a: { text: string }) => parseDate(a.text),
  readMrz: (a: { text: string }) => readMrz(a.text, new Date('2026-12-06T10:00:00Z')).valid,
  values: (a: { text: string }) => [toAlpha3(a.text), toSex(a.text), sexFromTitle(a.text), splitList(a.text).length, isValidThaiId(a.text), normalizeDocumentNumber(a.text).length],
  parseOfacRemarks: (a: { text: string }) => parseOfacRemarks(a.text),
  /** Reads files as parse.ts does a preset (detectPreset, then the UN or the OFAC reader); answers the preset, entries and problems. */
  preset: (a: { files: { fileName: string; bytes: Uint8Array }[] }) => {
    const files = a.files.map((f) => ({ fileName: f.fileName, content: f.bytes }));
    const preset = detectPreset(files);
    if (!preset) return { preset: null };
    const conv = new RowConverter(preset === 'un-xml' ? 'INDIVIDUALS' : files[0]!.fileName, [], {}, false);
    let entries = 0;
    let problems = 0;
    const stats = preset === 'un-xml'
      ? parseUnXml(files[0]!, conv, () => entries++, () => problems++, () => undefined)
      : parseOfac(files, conv, () => entries++, () => problems++, () => undefined);
    return { preset, entries, problems: problems + conv.problems.length, rowsRead: conv.rowsRead, rejected: conv.rejected, skipped: stats.skipped };
  },
  /** Runs the UN reader; answers the entries and problems counted. */
  parseUnXml: (a: { bytes: Uint8Array }) => {
    const conv = new RowConverter('INDIVIDUALS', [], {}, false);
    let entries = 0;
    let problems = 0;
    const stats = parseUnXml({ fileName: 'un.xml', content: a.bytes }, conv, () => entries++, () => problems++, () => undefined);
    return { entries, problems, skipped: stats.skipped };
  },
  /** Runs the OFAC reader on sdn (+ alt, add); answers the entries and problems counted. */
  parseOfac: (a: { files: { fileName: string; bytes: Uint8Array }[] }) => {
    const conv = new RowConverter('sdn.csv', [], {}, false);
    let entries = 0;
    let problems = 0;
    const stats = parseOfac(a.files.map((f) => ({ fileName: f.fileName, content: f.bytes })), conv, () => entries++, () => problems++, () => undefined);
    return { entries, problems, skipped: stats.skipped };
  },
};

function describe(e: unknown): NonNullable<FuzzAnswer['error']> {
  const err = e instanceof Error ? e : new Error(typeof e);
  return {
    name: err.name,
    watchdesk: e instanceof WatchdeskError,
    mrz: e instanceof MrzError,
    code: e instanceof WatchdeskError ? e.code : null,
    reason: e instanceof WatchdeskError ? e.reason.code : e instanceof MrzError ? e.problem.code : null,
    message: err.message.slice(0, 300),
    stack: (err.stack ?? '').split('\n').slice(0, 6).join('\n'),
  };
}

workerMain(() => {
  parentPort!.on('message', (m: FuzzCall) => {
    const t = performance.now();
    let answer: FuzzAnswer;
    try {
      const value = TARGETS[m.target](m.args as never);
      answer = { id: m.id, ms: performance.now() - t, value: JSON.parse(JSON.stringify(value ?? null)) as unknown };
    } catch (e) {
      answer = { id: m.id, ms: performance.now() - t, error: describe(e) };
    }
    parentPort!.postMessage(answer);
  });
});
