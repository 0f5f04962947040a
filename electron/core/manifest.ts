/**
 * Reading a passenger manifest for batch screening (screening.ts screenManifest), off the engine
 * thread: the file is read, its header found and its rows turned into travelers in the parse
 * worker (watchlists/parse-worker.ts) under the watchdog (guarded-worker.ts), so that a crafted
 * file can neither freeze the engine nor exhaust its memory. The matching stays on the engine.
 */
import type { ImportProblem } from '../../shared/contract';
import { reason, type Reason } from '../../shared/reasons';
import { BadInputError, InternalError } from './errors';
import { startGuardedWorker, type WatchdogOptions } from './guarded-worker';
import type { MatchQuery } from './matching/matcher';
import { cellText, openWorkbook } from './spreadsheet/read';
import { fold, guessHeader, RowConverter, type HeaderGuess } from './watchlists/mapping';
import { readHead } from './watchlists/parse';

/** One manifest row to screen: from its MRZ (read on the engine, travelerQuery) or from its fields. */
export interface ManifestTraveler {
  /** Row number as the spreadsheet shows it. */
  row: number;
  /** The row's ID column (or null when the manifest has none). */
  id: string | null;
  /** The MRZ lines of the row (its MRZ columns joined by newlines), or null: then `query` and `name` hold the row. */
  mrz: string | null;
  query: MatchQuery | null;
  name: string;
}

/** A manifest as read: the travelers in row order and the problems of rows that cannot be screened. */
export interface ManifestRead {
  sheet: string;
  /** Header of the first MRZ column (where a row's unreadable MRZ is reported), or null. */
  mrzHeader: string | null;
  travelers: ManifestTraveler[];
  problems: ImportProblem[];
}

/** A manifest column holding a machine-readable zone ("MRZ", "MRZ line 1", "Machine readable zone"). */
function isMrzHeader(h: string): boolean {
  return /^(mrz|machinereadablezone)/.test(fold(h));
}

/**
 * Reads a manifest (csv/xlsx/xls with name columns and optionally id, date of birth, sex,
 * nationality, passport; or an `mrz` column, or one column per MRZ line): the first sheet with a
 * header row in its first 30 rows, each row under it a traveler, streamed (a row is converted as
 * it comes, as the import does). `progress` is called often (a progressBeat; it may throw
 * `file.parseTooLarge`). Pure computation; runs in the parse worker. Throws BadInputError:
 * `manifest.noHeader`, or the reader's reason.
 */
export function readManifestRows(content: Buffer, fileName: string, progress: (fraction?: number) => void): ManifestRead {
  const book = openWorkbook(content, fileName, (f) => progress(f));
  let found: { name: string; guess: HeaderGuess } | null = null;
  for (const name of book.sheetNames) {
    const guess = guessHeader(readHead(book, name), isMrzHeader);
    if (guess) {
      found = { name, guess };
      break;
    }
  }
  if (!found) throw new BadInputError(reason('manifest.noHeader'));
  const { name, guess } = found;
  const mrzColumns = guess.headers.flatMap((h, j) => (isMrzHeader(h) ? [j] : []));
  const idColumn = guess.mapping.externalId;
  // Every row goes through the converter (as the import's would), so that ids made unique and
  // problems are those of the whole sheet; a row with an MRZ is screened from it instead.
  const conv = new RowConverter(name, guess.headers, guess.mapping, book.date1904);
  conv.mergeDuplicateRows = false;
  const fromMrz = new Set<number>();
  const travelers: ManifestTraveler[] = [];
  let i = 0;
  book.readRows(name, (cells, row) => {
    if (i++ <= guess.headerIndex) return;
    progress();
    const e = conv.convert(cells, row);
    const mrz = mrzColumns.map((j) => cellText(cells[j])).filter(Boolean).join('\n');
    if (mrz) {
      fromMrz.add(row);
      travelers.push({ row, id: idColumn !== undefined ? cellText(cells[idColumn]) || null : null, mrz, query: null, name: '' });
      return;
    }
    if (!e) return;
    travelers.push({
      row, id: idColumn !== undefined ? e.entryId : null, mrz: null, name: e.names[0]!.name,
      query: {
        names: e.names.map((n) => n.name),
        dateOfBirth: e.dateOfBirth,
        sex: e.sex,
        nationality: e.nationalities[0] ?? null,
        documentNumber: e.documents.find((d) => d.type !== 'national-id')?.number ?? null,
        nationalId: e.documents.find((d) => d.type === 'national-id')?.number ?? null,
      },
    });
  });
  return {
    sheet: name,
    mrzHeader: mrzColumns.length ? guess.headers[mrzColumns[0]!] ?? null : null,
    travelers,
    // A repeated person is a list-import notion ("shown as one hit at the desk"): each manifest row is screened.
    problems: conv.problems.filter((p) => !fromMrz.has(p.row) && p.reason !== 'row.samePerson'),
  };
}

/**
 * Reads a manifest in the parse worker under the watchdog (readManifestRows there). Resolves with
 * the manifest, or null when `signal` was aborted first (the worker is stopped). Rejects with a
 * BadInputError: the reader's reason, `file.unreadable` for any other failure of the read,
 * `file.parseStalled` or `file.parseTooLarge` from the watchdog; InternalError
 * `file.readerStopped` when the worker could not run.
 */
export function readManifest(content: Buffer, fileName: string, signal?: AbortSignal, watchdog: Omit<WatchdogOptions, 'onStop'> = {}): Promise<ManifestRead | null> {
  if (signal?.aborted) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      f();
    };
    const onAbort = () => settle(() => resolve(null));
    let worker: ReturnType<typeof startGuardedWorker>;
    try {
      worker = startGuardedWorker('parse-worker', new URL('./watchlists/parse-worker.ts', import.meta.url), {}, {
        ...watchdog, onStop: (e) => settle(() => reject(e)),
      });
    } catch {
      reject(new InternalError(reason('file.readerStopped')));
      return;
    }
    signal?.addEventListener('abort', onAbort);
    worker.on('message', (m: { type?: string; result?: ManifestRead; reason?: Reason }) => {
      if (m.type === 'done') settle(() => resolve(m.result!));
      else if (m.type === 'error') settle(() => reject(new BadInputError(m.reason ?? reason('file.unreadable'))));
    });
    worker.on('error', () => settle(() => reject(new InternalError(reason('file.readerStopped')))));
    worker.on('exit', () => settle(() => reject(new InternalError(reason('file.readerStopped')))));
    const bytes = new Uint8Array(content.buffer, content.byteOffset, content.length);
    worker.postMessage({ kind: 'manifest', content: bytes, fileName });
  });
}
