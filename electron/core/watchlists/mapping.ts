/**
 * Import rules for messy watchlist sheets: find the header row below any title rows, map columns
 * to entry fields from English and Thai header names, and turn each row into an entry or a
 * problem report with the row number the user sees.
 */
import * as cryptoNs from 'node:crypto';
import { createHash } from 'node:crypto';
import type { EntryDocument, EntryName, ImportProblem } from '../../../shared/contract';
import { parseDate } from '../../../shared/dates';
import type { Sex } from '../../../shared/domain';
import { cellText, type Cell, type Sheet } from '../spreadsheet/read';
import { isValidThaiId, normalizeDocumentNumber, sexFromTitle, splitList, toAlpha3, toSex } from './values';
import { reason, reasonView, type Reason } from '../../../shared/reasons';
import { datesAgree, samePersonKeys } from '../../../shared/same-person';

export const FIELDS = [
  'externalId', 'fullName', 'givenNames', 'middleName', 'surname', 'nativeName', 'aliases',
  'dateOfBirth', 'sex', 'nationality', 'passport', 'nationalId', 'reference', 'reason', 'remarks',
] as const;
export type Field = (typeof FIELDS)[number];
/** Field -> zero-based column index. */
export type ColumnMapping = Partial<Record<Field, number>>;

/** Header names per field, compared after folding case, spaces and punctuation. */
const SYNONYMS: Record<Field, string[]> = {
  externalId: ['id', 'entry id', 'record id', 'ref id', 'uid', 'person id', 'list id', 'รหัส', 'รหัสบุคคล', 'เลขที่รายการ'],
  fullName: ['name', 'full name', 'full_name', 'fullname', 'person name', 'name in english', 'english name',
    'ชื่อ-สกุล', 'ชื่อ-นามสกุล', 'ชื่อสกุล', 'ชื่อนามสกุล', 'ชื่อและนามสกุล', 'ชื่อ - สกุล', 'ชื่อภาษาอังกฤษ', 'ชื่อ-สกุล (อังกฤษ)'],
  givenNames: ['first name', 'first_name', 'firstname', 'given name', 'given names', 'forename', 'forenames', 'ชื่อ', 'ชื่อจริง', 'ชื่อตัว'],
  middleName: ['middle name', 'middle_name', 'middlename', 'ชื่อกลาง'],
  surname: ['last name', 'last_name', 'lastname', 'surname', 'family name', 'นามสกุล', 'สกุล'],
  nativeName: ['thai name', 'name in thai', 'ชื่อภาษาไทย', 'ชื่อ-สกุล (ไทย)', 'ชื่อ-สกุลภาษาไทย', 'native name', 'name (original script)'],
  aliases: ['alias', 'aliases', 'aka', 'a.k.a.', 'also known as', 'other names', 'alternative names', 'นามแฝง', 'ชื่อแฝง', 'ชื่ออื่น', 'ชื่อเล่น', 'ชื่ออื่นๆ'],
  dateOfBirth: ['dob', 'date of birth', 'date_of_birth', 'birth date', 'birthdate', 'born', 'd.o.b.', 'วันเกิด', 'วันเดือนปีเกิด', 'ว/ด/ป เกิด', 'วัน/เดือน/ปีเกิด', 'เกิดวันที่', 'วันเดือนปี เกิด'],
  sex: ['sex', 'gender', 'เพศ'],
  nationality: ['nationality', 'nationalities', 'citizenship', 'country', 'สัญชาติ'],
  passport: ['passport', 'passport no', 'passport number', 'passport_no', 'passport_number', 'travel document', 'document number', 'เลขหนังสือเดินทาง', 'หนังสือเดินทาง', 'เลขที่หนังสือเดินทาง'],
  nationalId: ['national id', 'national_id', 'id card', 'id card number', 'citizen id', 'id number', 'เลขประจำตัวประชาชน', 'เลขบัตรประชาชน', 'บัตรประชาชน', 'เลขบัตรประจำตัวประชาชน'],
  reference: ['warrant', 'warrant no', 'warrant number', 'case', 'case no', 'case number', 'reference', 'ref', 'ref no', 'หมายจับ', 'เลขที่หมายจับ', 'หมายจับเลขที่', 'เลขคดี', 'คดีที่', 'เลขที่คดี'],
  reason: ['offence', 'offense', 'charge', 'charges', 'reason', 'crime', 'grounds', 'ข้อหา', 'ความผิด', 'ฐานความผิด', 'เหตุผล'],
  remarks: ['remarks', 'remark', 'notes', 'note', 'comment', 'comments', 'หมายเหตุ'],
};

/** A header folded for comparison: lowercase, no spaces or punctuation. */
export function fold(h: string): string {
  return h.normalize('NFKC').toLowerCase().replace(/[\s_.:()\-/]+/g, '');
}
const LOOKUP = new Map<string, Field>();
for (const f of FIELDS) for (const s of SYNONYMS[f]) LOOKUP.set(fold(s), f);

/** The field a header names, or null. Exact synonyms first, then a known synonym inside it. */
export function fieldForHeader(header: string): Field | null {
  const h = fold(header);
  if (!h) return null;
  const exact = LOOKUP.get(h);
  if (exact) return exact;
  // "Passport No. (if known)" -> passport; longest synonym wins.
  let best: [Field, number] | null = null;
  for (const [syn, f] of LOOKUP) {
    if (syn.length >= 4 && h.includes(syn) && (!best || syn.length > best[1])) best = [f, syn.length];
  }
  return best?.[0] ?? null;
}

export interface HeaderGuess {
  /** Index into sheet.rows of the header row. */
  headerIndex: number;
  headers: string[];
  mapping: ColumnMapping;
}

/**
 * Finds the header row in the first 30 rows (the one naming most known fields, with a name among
 * them, or a column `accept` takes in place of a name, such as a manifest's MRZ) and suggests a
 * mapping. Hidden and blank columns are not mapped; of duplicate columns the first is mapped.
 * Returns null when no row looks like a header.
 */
export function guessHeader(sheet: Sheet, accept: (header: string) => boolean = () => false): HeaderGuess | null {
  let best: HeaderGuess | null = null;
  let bestCount = 0;
  const limit = Math.min(sheet.rows.length, 30);
  for (let i = 0; i < limit; i++) {
    const headers = sheet.rows[i]!.map((c) => cellText(c));
    const mapping: ColumnMapping = {};
    let count = 0;
    headers.forEach((h, j) => {
      if (sheet.hiddenColumns.has(j)) return;
      let f = fieldForHeader(h);
      // A second full-name column (Thai and English names side by side) is the name in the other script.
      if (f === 'fullName' && mapping.fullName !== undefined) f = 'nativeName';
      if (f && mapping[f] === undefined) {
        mapping[f] = j;
        count++;
      }
    });
    const accepted = headers.filter((h, j) => !sheet.hiddenColumns.has(j) && accept(h)).length;
    count += accepted;
    const hasName = accepted > 0 || ['fullName', 'givenNames', 'surname', 'nativeName'].some((f) => mapping[f as Field] !== undefined);
    if (hasName && count > bestCount) {
      best = { headerIndex: i, headers, mapping };
      bestCount = count;
    }
  }
  return best;
}

/** An entry as read from one row, before it is stored. */
export interface ParsedEntry {
  entryId: string;
  sourceRow: number;
  names: EntryName[];
  dateOfBirth: string | null;
  sex: Sex | null;
  nationalities: string[];
  documents: EntryDocument[];
  reference: string | null;
  reason: string | null;
  remarks: string | null;
  contentHash: string;
  /** Primary name and date of birth, folded: matches a person across re-sorted files without ids. */
  nameKey: string;
  /** True when `entryId` came from the file's id column. */
  hasExternalId: boolean;
}

export interface RowsResult {
  entries: ParsedEntry[];
  problems: ImportProblem[];
  rowsRead: number;
  rejected: number;
}

function columnLetter(j: number): string {
  let s = '';
  for (let n = j + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** Splits a cell of several aliases ("A; B", "A | B", one per line, "A aka B"). */
export function splitAliases(cell: string): string[] {
  return cell
    .split(/\s*(?:[;|\n]|\ba\.?k\.?a\.?(?=\s|$)|\s+หรือ\s+)\s*/i)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** SHA-256 of a string, hex; the one-shot crypto.hash (Node 20.12+) where there is one. */
const sha256Hex: (s: string) => string = typeof (cryptoNs as { hash?: unknown }).hash === 'function'
  ? (s) => (cryptoNs as unknown as { hash: (alg: string, data: string, enc: string) => string }).hash('sha256', s, 'hex')
  : (s) => createHash('sha256').update(s).digest('hex');

/** Longest name cell accepted, in characters (a longer one is not a name: the row is rejected). */
export const MAX_NAME_LENGTH = 1000;
const NAME_FIELDS: ReadonlySet<Field> = new Set(['fullName', 'givenNames', 'middleName', 'surname', 'nativeName']);

/** The key that finds "the same person" in a re-sorted file without ids: first name + date of birth. */
export function nameKey(names: EntryName[], dateOfBirth: string | null): string {
  const n = (names[0]?.name ?? '').normalize('NFKC').toLowerCase().replace(/[\s.,'-]+/g, ' ').trim();
  return `${n}|${dateOfBirth ?? ''}`;
}

/**
 * Turns rows under a header into entries one at a time (so that large files can be streamed).
 * A row without any name is rejected (error); doubtful values are kept with a warning (bad date,
 * unknown nationality or sex, bad Thai ID check digit). Blank rows are skipped silently.
 */
export class RowConverter {
  readonly problems: ImportProblem[] = [];
  rowsRead = 0;
  rejected = 0;
  private seenIds = new Map<string, number>();
  /** Same-person keys (shared/same-person.ts) seen so far, and the row of their first entry. */
  private seenPersons = new Map<string, { row: number; dob: string | null }>();

  constructor(
    private sheetName: string,
    private headers: string[],
    private mapping: ColumnMapping,
    private date1904: boolean,
    /** Largest number of problems kept (the counts stay exact). */
    private maxProblems = 10000,
  ) {}

  /** Mapped fields and their columns, fixed for the converter's life. */
  private get mapped(): [Field, number][] {
    return (this.mappedCache ??= FIELDS.flatMap((f) => (this.mapping[f] === undefined ? [] : [[f, this.mapping[f]] as [Field, number]])));
  }
  private mappedCache: [Field, number][] | null = null;

  private colName(f: Field): string | null {
    const j = this.mapping[f];
    return j === undefined ? null : `${columnLetter(j)} (${this.headers[j] || f})`;
  }

  private problem(rowNo: number, severity: ImportProblem['severity'], f: Field | null, r: Reason): void {
    if (this.problems.length < this.maxProblems) this.problems.push({ severity, sheet: this.sheetName, row: rowNo, column: f ? this.colName(f) : null, ...reasonView(r) });
  }

  private text(row: Cell[], f: Field): string {
    const j = this.mapping[f];
    return j === undefined ? '' : cellText(row[j]);
  }

  /** Converts one row (`rowNo` as the spreadsheet shows it); returns the entry or null. */
  convert(row: Cell[], rowNo: number): ParsedEntry | null {
    let blank = true;
    for (let j = 0; j < row.length; j++) {
      if (cellText(row[j]) !== '') {
        blank = false;
        break;
      }
    }
    if (blank) return null;
    this.rowsRead++;
    for (const [f, j] of this.mapped) {
      const c = row[j];
      const t = cellText(c);
      if (c?.formula || t.startsWith('=')) {
        this.rejected++;
        this.problem(rowNo, 'error', f, reason('row.formula'));
        return null;
      }
      if (NAME_FIELDS.has(f) && t.length > MAX_NAME_LENGTH) {
        this.rejected++;
        this.problem(rowNo, 'error', f, reason('row.nameTooLong', { length: t.length, max: MAX_NAME_LENGTH }));
        return null;
      }
    }

    const names: EntryName[] = [];
    const split = [this.text(row, 'givenNames'), this.text(row, 'middleName'), this.text(row, 'surname')].filter(Boolean).join(' ');
    const full = this.text(row, 'fullName');
    addName(names, full || split, 'primary');
    if (full && split) addName(names, split, 'alias');
    const native = this.text(row, 'nativeName');
    if (native) addName(names, native, names.length ? 'alias' : 'primary');
    const aliases = this.text(row, 'aliases');
    if (aliases) for (const a of splitAliases(aliases)) addName(names, a, names.length ? 'alias' : 'primary');
    if (!names.length) {
      this.rejected++;
      this.problem(rowNo, 'error', null, reason('row.noName'));
      return null;
    }

    let dateOfBirth: string | null = null;
    const dobText = this.text(row, 'dateOfBirth');
    if (dobText) {
      const cell = row[this.mapping.dateOfBirth!];
      const p = parseDate(cell && typeof cell.v === 'number' ? cell.v : dobText, { date1904: this.date1904 });
      if (p.ok) dateOfBirth = p.date.iso;
      else {
        dateOfBirth = p.partial?.iso ?? null;
        this.problem(rowNo, 'warning', 'dateOfBirth', { code: !p.partial ? 'row.dobEmpty' : p.partial.precision === 'month' ? 'row.dobKeptMonth' : 'row.dobKeptYear', params: { ...p.problem.params, detail: p.problem.code } });
      }
    }

    let sex: Sex | null = null;
    const sexText = this.text(row, 'sex');
    if (sexText) {
      sex = toSex(sexText);
      if (!sex) this.problem(rowNo, 'warning', 'sex', reason('row.sexNotUnderstood'));
    }
    sex ??= sexFromTitle(names[0]!.name);

    const nationalities: string[] = [];
    const natText = this.text(row, 'nationality');
    if (natText) {
      for (const n of splitList(natText)) {
        const a3 = toAlpha3(n);
        if (a3) {
          if (!nationalities.includes(a3)) nationalities.push(a3);
        } else this.problem(rowNo, 'warning', 'nationality', reason('row.nationalityLeftOut'));
      }
    }

    const documents: EntryDocument[] = [];
    const passText = this.text(row, 'passport');
    if (passText) {
      for (const p of splitList(passText)) {
        const number = normalizeDocumentNumber(p);
        if (number) documents.push({ number, type: 'passport', issuer: null });
      }
    }
    const nid = this.text(row, 'nationalId').replace(/[\s-]/g, '');
    if (nid) {
      const thai = /^\d{13}$/.test(nid);
      if (thai && !isValidThaiId(nid)) this.problem(rowNo, 'warning', 'nationalId', reason('row.thaiIdCheck'));
      documents.push({ number: normalizeDocumentNumber(nid), type: 'national-id', issuer: thai ? 'THA' : null });
    }

    const externalId = this.text(row, 'externalId');
    return this.finish({
      externalId, sourceRow: rowNo, names, dateOfBirth, sex, nationalities, documents,
      reference: this.text(row, 'reference') || null, reason: this.text(row, 'reason') || null, remarks: this.text(row, 'remarks') || null,
    }, externalId ? rowNo : undefined);
  }

  /**
   * Completes an entry built elsewhere (presets): content hash, name key, unique id. A duplicate
   * file id is made unique (`id#row`), with a warning when `warnRow` is given.
   */
  finish(e: Omit<ParsedEntry, 'entryId' | 'contentHash' | 'nameKey' | 'hasExternalId'> & { externalId: string }, warnRow?: number): ParsedEntry {
    const content = JSON.stringify([e.names, e.dateOfBirth, e.sex, e.nationalities, e.documents, e.reference, e.reason, e.remarks]);
    const contentHash = sha256Hex(content);
    let entryId = e.externalId || contentHash.slice(0, 16);
    const dup = this.seenIds.get(entryId);
    if (dup !== undefined) {
      if (e.externalId && warnRow !== undefined) this.problem(warnRow, 'warning', 'externalId', reason('row.duplicateId', { row: dup }));
      entryId = `${entryId}#${e.sourceRow}`;
    } else this.seenIds.set(entryId, e.sourceRow);
    // The same person twice in one file (a shared document or ID, or the same name and full date
    // of birth): kept, since each row may carry its own warrant, and warned of once.
    const keys = new Set(samePersonKeys(e));
    let samePerson: number | undefined;
    for (const k of keys) {
      const seen = this.seenPersons.get(k);
      if (seen && datesAgree(seen.dob, e.dateOfBirth)) samePerson ??= seen.row;
    }
    for (const k of keys) if (!this.seenPersons.has(k)) this.seenPersons.set(k, { row: e.sourceRow, dob: e.dateOfBirth });
    if (samePerson !== undefined) this.problem(e.sourceRow, 'warning', null, reason('row.samePerson', { row: samePerson }));
    return {
      entryId, sourceRow: e.sourceRow, names: e.names, dateOfBirth: e.dateOfBirth, sex: e.sex, nationalities: e.nationalities,
      documents: e.documents, reference: e.reference, reason: e.reason, remarks: e.remarks, contentHash,
      nameKey: nameKey(e.names, e.dateOfBirth), hasExternalId: Boolean(e.externalId),
    };
  }
}

function addName(names: EntryName[], n: string, kind: EntryName['kind']): void {
  const clean = n.replace(/\s+/g, ' ').trim();
  if (clean && !names.some((x) => x.name === clean)) names.push({ name: clean, kind });
}

/** Converts every row under the header of a sheet (see RowConverter). */
export function rowsToEntries(sheet: Sheet, headerIndex: number, headers: string[], mapping: ColumnMapping): RowsResult {
  const conv = new RowConverter(sheet.name, headers, mapping, sheet.date1904);
  const entries: ParsedEntry[] = [];
  for (let i = headerIndex + 1; i < sheet.rows.length; i++) {
    const e = conv.convert(sheet.rows[i]!, sheet.rowNumbers[i]!);
    if (e) entries.push(e);
  }
  return { entries, problems: conv.problems, rowsRead: conv.rowsRead, rejected: conv.rejected };
}
