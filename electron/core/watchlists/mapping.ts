/**
 * Import rules for messy watchlist sheets: find the header row below any title rows, map columns
 * to entry fields from English and Thai header names, and turn each row into an entry or a
 * problem report with the row number the user sees.
 */
import { createHash } from 'node:crypto';
import type { EntryDocument, EntryName, ImportProblem } from '../../../shared/contract';
import { parseDate } from '../../../shared/dates';
import type { Sex } from '../../../shared/domain';
import { cellText, type Cell, type Sheet } from '../spreadsheet/read';
import { isValidThaiId, normalizeDocumentNumber, sexFromTitle, splitList, toAlpha3, toSex } from './values';

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

function fold(h: string): string {
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
 * them) and suggests a mapping. Hidden and blank columns are not mapped; of duplicate columns the
 * first is mapped. Returns null when no row looks like a header.
 */
export function guessHeader(sheet: Sheet): HeaderGuess | null {
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
    const hasName = ['fullName', 'givenNames', 'surname', 'nativeName'].some((f) => mapping[f as Field] !== undefined);
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
    .split(/\s*(?:[;|\n]|\ba\.?k\.?a\.?\b|\bหรือ\b)\s*/i)
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * Converts the rows under the header into entries. A row without any name is rejected (error);
 * doubtful values are kept with a warning (bad date, unknown nationality or sex, bad Thai ID check
 * digit). Blank rows are skipped silently.
 */
export function rowsToEntries(sheet: Sheet, headerIndex: number, headers: string[], mapping: ColumnMapping): RowsResult {
  const problems: ImportProblem[] = [];
  const entries: ParsedEntry[] = [];
  let rowsRead = 0;
  let rejected = 0;
  const seenIds = new Map<string, number>();
  for (let i = headerIndex + 1; i < sheet.rows.length; i++) {
    const row = sheet.rows[i]!;
    const rowNo = sheet.rowNumbers[i]!;
    if (row.every((c) => cellText(c) === '')) continue;
    rowsRead++;
    const col = (f: Field): { cell: Cell | undefined; text: string; name: string | null } => {
      const j = mapping[f];
      if (j === undefined) return { cell: undefined, text: '', name: null };
      return { cell: row[j], text: cellText(row[j]), name: `${columnLetter(j)} (${headers[j] || f})` };
    };
    const problem = (severity: ImportProblem['severity'], f: Field | null, message: string): void => {
      problems.push({ severity, sheet: sheet.name, row: rowNo, column: f ? col(f).name : null, message });
    };

    const names: EntryName[] = [];
    const addName = (n: string, kind: EntryName['kind']): void => {
      const clean = n.replace(/\s+/g, ' ').trim();
      if (clean && !names.some((x) => x.name === clean)) names.push({ name: clean, kind });
    };
    const split = [col('givenNames').text, col('middleName').text, col('surname').text].filter(Boolean).join(' ');
    const full = col('fullName').text;
    addName(full || split, 'primary');
    if (full && split) addName(split, 'alias');
    if (col('nativeName').text) addName(col('nativeName').text, names.length ? 'alias' : 'primary');
    for (const a of splitAliases(col('aliases').text)) addName(a, names.length ? 'alias' : 'primary');
    if (!names.length) {
      rejected++;
      problem('error', null, 'the row has no name: rejected');
      continue;
    }

    let dateOfBirth: string | null = null;
    const dobCol = col('dateOfBirth');
    if (dobCol.text) {
      const raw = dobCol.cell && typeof dobCol.cell.v === 'number' ? dobCol.cell.v : dobCol.text;
      const p = parseDate(raw, { date1904: sheet.date1904 });
      if (p.ok) dateOfBirth = p.date.iso;
      else {
        dateOfBirth = p.partial?.iso ?? null;
        problem('warning', 'dateOfBirth', `date of birth not understood (${p.error})${p.partial ? `; kept the ${p.partial.precision === 'month' ? 'year and month' : 'year'} only` : '; left empty'}`);
      }
    }

    let sex: Sex | null = null;
    if (col('sex').text) {
      sex = toSex(col('sex').text);
      if (!sex) problem('warning', 'sex', 'sex not understood; left empty');
    }
    sex ??= sexFromTitle(names[0]!.name);

    const nationalities: string[] = [];
    for (const n of splitList(col('nationality').text)) {
      const a3 = toAlpha3(n);
      if (a3) {
        if (!nationalities.includes(a3)) nationalities.push(a3);
      } else problem('warning', 'nationality', 'nationality not recognised; left out');
    }

    const documents: EntryDocument[] = [];
    for (const p of splitList(col('passport').text)) {
      const number = normalizeDocumentNumber(p);
      if (number) documents.push({ number, type: 'passport', issuer: null });
    }
    const nid = col('nationalId').text.replace(/[\s-]/g, '');
    if (nid) {
      if (/^\d{13}$/.test(nid) && !isValidThaiId(nid)) {
        problem('warning', 'nationalId', 'Thai national ID check digit does not match; kept as written');
      }
      documents.push({ number: normalizeDocumentNumber(nid), type: 'national-id', issuer: /^\d{13}$/.test(nid) ? 'THA' : null });
    }

    const content = JSON.stringify([names.map((n) => n.name), dateOfBirth, sex, nationalities, documents]);
    const contentHash = createHash('sha256').update(content).digest('hex');
    let entryId = col('externalId').text || contentHash.slice(0, 16);
    const dup = seenIds.get(entryId);
    if (dup !== undefined) {
      if (col('externalId').text) problem('warning', 'externalId', `id also used on row ${dup}; this row's id made unique`);
      entryId = `${entryId}#${rowNo}`;
    } else seenIds.set(entryId, rowNo);
    entries.push({
      entryId,
      sourceRow: rowNo,
      names,
      dateOfBirth,
      sex,
      nationalities,
      documents,
      reference: col('reference').text || null,
      reason: col('reason').text || null,
      remarks: col('remarks').text || null,
      contentHash,
    });
  }
  return { entries, problems, rowsRead, rejected };
}
