/**
 * Import rules for messy watchlist sheets: find the header row below any title rows, map columns
 * to entry fields from English and Thai header names, and turn each row into an entry or a
 * problem report with the row number the user sees.
 */
import * as cryptoNs from 'node:crypto';
import { createHash } from 'node:crypto';
import type { EntryDocument, EntryName, ImportProblem } from '../../../shared/contract';
import { dobInput, parseDob, type DateColumnRule } from './date-columns';
import type { Sex } from '../../../shared/domain';
import { cellText, type Cell, type Sheet } from '../spreadsheet/read';
import { identifierText, isValidThaiId, normalizeDocumentNumber, sexFromTitle, splitList, toAlpha3, toSex } from './values';
import { reason, reasonView, type Reason } from '../../../shared/reasons';
import { samePersonKeys } from '../../../shared/same-person';
import { ContentRows, digest, digest64, DigestRows, dobCode, dobCodesAgree, StringRows } from './seen';
import { formulaStart, isDashPlaceholder, latinShare, splitNameCell } from './name-cells';

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
    'ชื่อ-สกุล', 'ชื่อ-นามสกุล', 'ชื่อสกุล', 'ชื่อนามสกุล', 'ชื่อและนามสกุล', 'ชื่อ - สกุล', 'ชื่อภาษาอังกฤษ', 'ชื่อ-สกุล (อังกฤษ)',
    'ชื่อ (อังกฤษ)', 'ชื่อ-นามสกุล (อังกฤษ)', 'ชื่อ-นามสกุลภาษาอังกฤษ', 'name (english)'],
  givenNames: ['first name', 'first_name', 'firstname', 'given name', 'given names', 'forename', 'forenames', 'ชื่อ', 'ชื่อจริง', 'ชื่อตัว'],
  middleName: ['middle name', 'middle_name', 'middlename', 'ชื่อกลาง'],
  surname: ['last name', 'last_name', 'lastname', 'surname', 'family name', 'นามสกุล', 'สกุล'],
  nativeName: ['thai name', 'name in thai', 'ชื่อภาษาไทย', 'ชื่อ (ไทย)', 'ชื่อ-นามสกุล (ไทย)', 'name (thai)', 'ชื่อ-สกุล (ไทย)', 'ชื่อ-สกุลภาษาไทย', 'native name', 'name (original script)'],
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

/** English words naming a relative of the listed person (whole words of a header). */
const RELATIVE_WORDS = new Set([
  'father', 'fathers', 'mother', 'mothers', 'parent', 'parents', 'spouse', 'spouses', 'husband', 'husbands', 'wife', 'wifes', 'wives',
  'son', 'sons', 'daughter', 'daughters', 'brother', 'brothers', 'sister', 'sisters', 'sibling', 'siblings', 'child', 'childs',
  'children', 'guardian', 'guardians', 'kin', 'relative', 'relatives', 'dad', 'mom', 'mum', 'grandfather', 'grandmother',
]);
/** Thai words naming a relative (found inside a header: Thai is written without spaces). */
const RELATIVE_THAI = ['บิดา', 'มารดา', 'พ่อ', 'แม่', 'คู่สมรส', 'สามี', 'ภรรยา', 'ภริยา', 'บุตร', 'ผู้ปกครอง', 'ญาติ', 'พี่ชาย', 'พี่สาว', 'น้องชาย', 'น้องสาว'];

/**
 * True when a header is about a relative of the listed person ("ชื่อบิดา", "Father's name",
 * "Spouse name", "ชื่อคู่สมรส", "s/o"...): such a column describes someone else, so it maps to no
 * field of the entry (a father's name is not a name to screen as the person; a spouse's passport
 * is not the person's). English by whole word ("Person name" is not "son"), Thai inside the header.
 */
export function namesRelative(header: string): boolean {
  const h = header.normalize('NFKC').toLowerCase();
  if (/(^|[^\p{L}])[sdw]\s*\/\s*o([^\p{L}]|$)/u.test(h)) return true; // s/o, d/o, w/o: son, daughter, wife of
  if (RELATIVE_THAI.some((w) => h.includes(w))) return true;
  return h.split(/[^\p{L}]+/u).some((w) => RELATIVE_WORDS.has(w));
}

/**
 * The field a header names, or null. A header about a relative (namesRelative) names none;
 * otherwise exact synonyms first, then a known synonym inside it.
 */
export function fieldForHeader(header: string): Field | null {
  const h = fold(header);
  if (!h) return null;
  if (namesRelative(header)) return null;
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
  if (best) byScript(sheet, best);
  return best;
}

/**
 * The name in another script (nativeName) is for names not in Latin script. When the column
 * suggested for it holds Latin-script names (an "English name" / "ชื่อภาษาอังกฤษ" column beside
 * a Thai one, or a second "Name" column), judged from the values under the header in the rows
 * read, it becomes: the full name when there is no full-name column; else the aliases column
 * when there is none (the file's full name stays the primary name, the Latin one an alias, as the
 * entries were stored before); else, beside a full-name column in another script, the two swap
 * (the Latin one is the full name, the other the name in another script). Two Latin columns and
 * an aliases column already taken: it stays (its names are aliases either way).
 */
function byScript(sheet: Sheet, guess: HeaderGuess): void {
  const m = guess.mapping;
  if (m.nativeName === undefined) return;
  const values = (j: number) => sheet.rows.slice(guess.headerIndex + 1).map((r) => cellText(r[j]));
  const nativeLatin = latinShare(values(m.nativeName));
  if (nativeLatin === null || nativeLatin < 0.5) return;
  const native = m.nativeName;
  if (m.fullName === undefined || m.aliases === undefined) {
    if (m.fullName === undefined) m.fullName = native;
    else m.aliases = native;
    delete m.nativeName;
    return;
  }
  const fullLatin = latinShare(values(m.fullName));
  if (fullLatin !== null && fullLatin < 0.5) {
    m.nativeName = m.fullName;
    m.fullName = native;
  }
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
 * unknown nationality or sex, bad Thai ID check digit, a formula or formula-looking text, kept as
 * inert text: name-cells.ts). A name cell holding several names gives the first and its aliases
 * (name-cells.ts splitNameCell). Said in the report, each with its row: a run of blank rows
 * inside the data (one line per run; blank rows after the last row are not reported), a row the
 * same as an earlier one in every field (imported once), the same person twice (both kept), and
 * a column under a duplicate header whose values are not imported.
 */
export class RowConverter {
  /** Problems of the rows (bounded by maxProblems), then the column notes (duplicate headers). */
  get problems(): ImportProblem[] {
    return [...this.rowProblems, ...this.columnNotes()];
  }
  private readonly rowProblems: ImportProblem[] = [];
  rowsRead = 0;
  rejected = 0;
  /**
   * Row number of the header row, set by the parser: blank rows are counted from the row after
   * it. Null: from the first row converted.
   */
  headerRow: number | null = null;
  /**
   * True for csv/tsv, whose row numbers are line numbers: every blank line arrives as a row, and a
   * gap between two row numbers is a cell's line breaks, not blank rows. False for workbooks,
   * whose readers skip empty rows (a gap is blank rows).
   */
  lineNumbered = false;
  /** The last row number seen (blank or not), and the first of the blank rows since the last row with content. */
  private lastRow: number | null = null;
  private blankFrom: number | null = null;
  /**
   * What the rows so far had, each with the row of its first entry, in compact tables (seen.ts:
   * no object per row): contents (content hash and file id), entry ids, same-person keys
   * (shared/same-person.ts, by digest, with the first entry's date of birth).
   */
  private seenContent = new ContentRows();
  private seenIds = new StringRows();
  private seenPersons = new DigestRows();
  /** Digests of the current entry's same-person keys (hi, lo pairs), reused from row to row. */
  private keyDigests = new Uint32Array(32);
  /** Unmapped columns under a header that a mapped column also has: column -> [mapped column, rows with a value]. */
  private duplicateColumns = new Map<number, [number, number]>();

  /**
   * A row equal to an earlier one in every field is taken once (a watchlist's repeated row: one
   * person, one entry). False for a manifest of travelers (manifest.ts): two travelers of the same
   * name and date are two people at the desk, each screened.
   */
  mergeDuplicateRows = true;

  constructor(
    private sheetName: string,
    private headers: string[],
    private mapping: ColumnMapping,
    private date1904: boolean,
    /** Largest number of problems kept (the counts stay exact). */
    private maxProblems = 10000,
  ) {
    // Duplicate headers: an unmapped column whose header a mapped column has (merged header cells
    // give such columns too: they are reported only when they hold values).
    const mappedByHeader = new Map<string, number>();
    for (const j of Object.values(mapping)) {
      const h = fold(headers[j] ?? '');
      if (h && !mappedByHeader.has(h)) mappedByHeader.set(h, j);
    }
    const used = new Set(Object.values(mapping));
    headers.forEach((header, j) => {
      const other = mappedByHeader.get(fold(header));
      if (other !== undefined && !used.has(j)) this.duplicateColumns.set(j, [other, 0]);
    });
    // Two mapped columns under one header (two "Name" columns: full name and aliases): which is which.
    const fieldAt = new Map(FIELDS.flatMap((f) => (mapping[f] === undefined ? [] : [[mapping[f], f] as const])));
    for (const [j, f] of fieldAt) {
      const other = mappedByHeader.get(fold(headers[j] ?? ''));
      if (other !== undefined && other !== j) this.duplicateMapped.push([j, f, other, fieldAt.get(other)!]);
    }
  }
  /** Mapped columns whose header an earlier mapped column has: [column, field, that column, its field]. */
  private readonly duplicateMapped: [number, Field, number, Field][] = [];

  /** A warning on the header row for each unmapped duplicate-header column that held values. */
  private columnNotes(): ImportProblem[] {
    const name = (j: number) => `${columnLetter(j)} (${this.headers[j] ?? ''})`;
    const notes: ImportProblem[] = this.duplicateMapped.map(([j, field, other, otherField]) => ({
      severity: 'warning', sheet: this.sheetName, row: this.headerRow ?? 1, column: name(j),
      ...reasonView(reason('column.duplicateHeaderRead', { other: name(other), otherField, field })),
    }));
    for (const [j, [other, count]] of this.duplicateColumns) {
      if (!count) continue;
      notes.push({
        severity: 'warning', sheet: this.sheetName, row: this.headerRow ?? 1, column: `${columnLetter(j)} (${this.headers[j] ?? ''})`,
        ...reasonView(reason('column.duplicateHeader', { other: `${columnLetter(other)} (${this.headers[other] ?? ''})`, count })),
      });
    }
    return notes;
  }

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
    if (this.rowProblems.length < this.maxProblems) this.rowProblems.push({ severity, sheet: this.sheetName, row: rowNo, column: f ? this.colName(f) : null, ...reasonView(r) });
  }

  /** The date-of-birth column's rule (date-columns.ts), set by the parser after its prescan; null: default rules. */
  dobRule: Pick<DateColumnRule, 'rules' | 'compactColumn'> | null = null;

  /**
   * An identifier field's text from the cell's value, digits exact (values.ts identifierText); a
   * number longer than a spreadsheet holds is kept and warned of (row.idDigitsLost).
   */
  private idText(row: Cell[], f: Field, rowNo: number): string {
    const j = this.mapping[f];
    if (j === undefined) return '';
    const { text, digitsLost } = identifierText(row[j]);
    if (digitsLost) this.problem(rowNo, 'warning', f, reason('row.idDigitsLost', { digits: digitsLost }));
    return text;
  }

  private text(row: Cell[], f: Field): string {
    const j = this.mapping[f];
    return j === undefined ? '' : cellText(row[j]);
  }

  /**
   * Notes blank rows: `rowNo` is a row with content. A run of blank rows before it (seen as blank
   * rows, or, in a workbook, as missing row numbers) since the header is one report line.
   */
  private noteBlankRows(rowNo: number): void {
    const from = this.blankRunStart(rowNo);
    if (from !== null && from < rowNo) {
      const to = rowNo - 1;
      this.problem(from, 'warning', null, from === to ? reason('row.blank') : reason('row.blankRun', { from, to }));
    }
    this.blankFrom = null;
    this.lastRow = rowNo;
  }

  /** The first blank row before `rowNo` since the last row with content (or the header), or null. */
  private blankRunStart(rowNo: number): number | null {
    if (this.blankFrom !== null) return this.blankFrom;
    const after = this.lastRow ?? this.headerRow;
    return !this.lineNumbered && after !== null && rowNo > after + 1 ? after + 1 : null;
  }

  /**
   * The row as read: each mapped cell holding a formula becomes its computed value as plain text
   * (or empty when it has none: a stub 0 or null without display text), a cell of dashes alone
   * becomes empty, and formula-looking text is kept as it is; each is warned of. The row is
   * copied only when a cell changes.
   */
  private inert(row: Cell[], rowNo: number): Cell[] {
    let out = row;
    for (const [f, j] of this.mapped) {
      const c = row[j];
      if (!c || c.v === null) continue;
      let clean: Cell | null = null;
      if (c.formula) {
        const hasValue = c.w !== undefined || (typeof c.v === 'string' && c.v !== '') || typeof c.v === 'boolean' || (typeof c.v === 'number' && c.v !== 0);
        clean = hasValue ? { ...c, formula: false } : { v: null };
        this.problem(rowNo, 'warning', f, reason(hasValue ? 'row.formulaKept' : 'row.formulaNoValue'));
      } else if (typeof c.v === 'string') {
        const t = c.v.trim();
        if (isDashPlaceholder(t)) clean = { v: null };
        else {
          const start = formulaStart(t);
          if (start) this.problem(rowNo, 'warning', f, reason('row.formulaText', { start }));
        }
      }
      if (clean) {
        if (out === row) out = row.slice();
        out[j] = clean;
      }
    }
    return out;
  }

  /** Converts one row (`rowNo` as the spreadsheet shows it); returns the entry or null. */
  convert(input: Cell[], rowNo: number): ParsedEntry | null {
    let blank = true;
    for (let j = 0; j < input.length; j++) {
      if (cellText(input[j]) !== '') {
        blank = false;
        break;
      }
    }
    if (blank) {
      this.blankFrom = this.blankRunStart(rowNo) ?? rowNo;
      this.lastRow = rowNo;
      return null;
    }
    this.noteBlankRows(rowNo);
    this.rowsRead++;
    for (const [j, d] of this.duplicateColumns) if (cellText(input[j]) !== '') d[1]++;
    const row = this.inert(input, rowNo);
    for (const [f, j] of this.mapped) {
      const t = cellText(row[j]);
      if (NAME_FIELDS.has(f) && t.length > MAX_NAME_LENGTH) {
        this.rejected++;
        this.problem(rowNo, 'error', f, reason('row.nameTooLong', { length: t.length, max: MAX_NAME_LENGTH }));
        return null;
      }
    }

    // Names: each name cell may hold several (name-cells.ts); its first is the primary name.
    const names: EntryName[] = [];
    const split = [this.text(row, 'givenNames'), this.text(row, 'middleName'), this.text(row, 'surname')].filter(Boolean).join(' ');
    const full = this.text(row, 'fullName');
    const seen = new Set<string>();
    const addCell = (cell: string) => {
      for (const n of splitNameCell(cell)) {
        if (seen.has(n)) continue;
        seen.add(n);
        names.push({ name: n, kind: names.length ? 'alias' : 'primary' });
      }
    };
    addCell(full);
    addCell(split);
    addCell(this.text(row, 'nativeName'));
    addCell(this.text(row, 'aliases'));
    if (!names.length) {
      this.rejected++;
      this.problem(rowNo, 'error', null, reason('row.noName'));
      return null;
    }

    let dateOfBirth: string | null = null;
    const dobCell = this.mapping.dateOfBirth === undefined ? null : dobInput(row[this.mapping.dateOfBirth], this.dobRule?.compactColumn);
    if (dobCell) {
      // By the column's rule: order, compact dates, two-digit years (date-columns.ts).
      const p = parseDob(dobCell, { ...this.dobRule?.rules, date1904: this.date1904 });
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
    // The title may be on any name (a Thai name with นาย beside a Latin primary name).
    for (const n of names) sex ??= sexFromTitle(n.name);

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
    const passText = this.idText(row, 'passport', rowNo);
    if (passText) {
      for (const p of splitList(passText)) {
        const number = normalizeDocumentNumber(p);
        if (number) documents.push({ number, type: 'passport', issuer: null });
      }
    }
    const nid = this.idText(row, 'nationalId', rowNo).replace(/[\s-]/g, '');
    if (nid) {
      const thai = /^\d{13}$/.test(nid);
      if (thai && !isValidThaiId(nid)) this.problem(rowNo, 'warning', 'nationalId', reason('row.thaiIdCheck'));
      documents.push({ number: normalizeDocumentNumber(nid), type: 'national-id', issuer: thai ? 'THA' : null });
    }

    const externalId = this.idText(row, 'externalId', rowNo);
    const entry = {
      externalId, sourceRow: rowNo, names, dateOfBirth, sex, nationalities, documents,
      reference: this.idText(row, 'reference', rowNo) || null, reason: this.text(row, 'reason') || null, remarks: this.text(row, 'remarks') || null,
    };
    // A row the same as an earlier one in every field (and id): imported once, said so.
    const contentHash = contentHashOf(entry);
    // The id stands as the row of its first entry (exact): an id not seen yet is this row's (complete sets it).
    const idNumber = externalId ? this.seenIds.get(externalId) ?? rowNo : -1;
    const first = this.mergeDuplicateRows ? this.seenContent.getOrAdd(contentHash, idNumber, rowNo) : undefined;
    if (first !== undefined) {
      this.problem(rowNo, 'warning', null, reason('row.duplicateRow', { row: first }));
      return null;
    }
    return this.complete(entry, contentHash, externalId ? rowNo : undefined);
  }

  /**
   * Completes an entry built elsewhere (presets): content hash, name key, unique id. A duplicate
   * file id is made unique (`id#row`), with a warning when `warnRow` is given.
   */
  finish(e: EntryParts, warnRow?: number): ParsedEntry {
    return this.complete(e, contentHashOf(e), warnRow);
  }

  /** finish with the content hash already computed. */
  private complete(e: EntryParts, contentHash: string, warnRow?: number): ParsedEntry {
    let entryId = e.externalId || contentHash.slice(0, 16);
    const dup = this.seenIds.get(entryId);
    if (dup !== undefined) {
      if (e.externalId && warnRow !== undefined) this.problem(warnRow, 'warning', 'externalId', reason('row.duplicateId', { row: dup }));
      entryId = `${entryId}#${e.sourceRow}`;
    } else this.seenIds.add(entryId, e.sourceRow);
    // The same person twice in one file (a shared document or ID, or the same name and full date
    // of birth): kept, since each row may carry its own warrant, and warned of once.
    const keys = samePersonKeys(e);
    if (keys.length * 2 > this.keyDigests.length) this.keyDigests = new Uint32Array(keys.length * 4);
    const d = this.keyDigests;
    const dob = dobCode(e.dateOfBirth);
    let samePerson: number | undefined;
    for (let k = 0; k < keys.length; k++) {
      digest64(keys[k]!);
      d[2 * k] = digest.hi;
      d[2 * k + 1] = digest.lo;
      const slot = this.seenPersons.find(digest.hi, digest.lo);
      if (slot >= 0 && dobCodesAgree(this.seenPersons.dobAt(slot), dob)) samePerson ??= this.seenPersons.rowAt(slot);
    }
    for (let k = 0; k < keys.length; k++) this.seenPersons.addIfAbsent(d[2 * k]!, d[2 * k + 1]!, e.sourceRow, dob);
    if (samePerson !== undefined) this.problem(e.sourceRow, 'warning', null, reason('row.samePerson', { row: samePerson }));
    return {
      entryId, sourceRow: e.sourceRow, names: e.names, dateOfBirth: e.dateOfBirth, sex: e.sex, nationalities: e.nationalities,
      documents: e.documents, reference: e.reference, reason: e.reason, remarks: e.remarks, contentHash,
      nameKey: nameKey(e.names, e.dateOfBirth), hasExternalId: Boolean(e.externalId),
    };
  }
}

/** An entry's fields as read, before finish. */
type EntryParts = Omit<ParsedEntry, 'entryId' | 'contentHash' | 'nameKey' | 'hasExternalId'> & { externalId: string };

/** SHA-256 of the stored fields of an entry (not its id or row): equal for entries equal in every field. */
function contentHashOf(e: EntryParts): string {
  return sha256Hex(JSON.stringify([e.names, e.dateOfBirth, e.sex, e.nationalities, e.documents, e.reference, e.reason, e.remarks]));
}

/** Converts every row under the header of a sheet (see RowConverter). */
export function rowsToEntries(sheet: Sheet, headerIndex: number, headers: string[], mapping: ColumnMapping): RowsResult {
  const conv = new RowConverter(sheet.name, headers, mapping, sheet.date1904);
  conv.headerRow = sheet.rowNumbers[headerIndex] ?? null;
  const entries: ParsedEntry[] = [];
  for (let i = headerIndex + 1; i < sheet.rows.length; i++) {
    const e = conv.convert(sheet.rows[i]!, sheet.rowNumbers[i]!);
    if (e) entries.push(e);
  }
  return { entries, problems: conv.problems, rowsRead: conv.rowsRead, rejected: conv.rejected };
}
