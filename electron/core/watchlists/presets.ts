/**
 * Presets for public list formats (DESIGN.md section 6; issue 4):
 * - the UN Security Council consolidated list XML (https://scsanctions.un.org/resources/xml/en/consolidated.xml):
 *   INDIVIDUALS become entries; ENTITIES are skipped and counted;
 * - the OFAC SDN CSV set (https://ofac.treasury.gov/specially-designated-nationals-list-data-formats-data-schemas):
 *   `sdn.csv` (no header; ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign, Vess_type, Tonnage,
 *   GRT, Vess_flag, Vess_owner, Remarks), `alt.csv` (ent_num, alt_num, alt_type, alt_name,
 *   alt_remarks) and `add.csv` (ent_num, add_num, address, city/state/postal, country, add_remarks),
 *   `-0-` meaning empty and a DOS end-of-file byte (0x1A) at the end. Individuals become entries;
 *   entities, vessels and aircraft are skipped and counted. Dates of birth, nationalities,
 *   passports, national IDs and sex are read from the free-text remarks.
 */
import { XMLParser } from 'fast-xml-parser';
import Papa from 'papaparse';
import type { EntryDocument, EntryName, ImportProblem } from '../../../shared/contract';
import { parseDate } from '../../../shared/dates';
import type { Sex } from '../../../shared/domain';
import { decodeText, withoutDosEof } from '../spreadsheet/read';
import type { ParsedEntry, RowConverter } from './mapping';
import { normalizeDocumentNumber, toAlpha3, toSex } from './values';
import { reason, reasonView, type Reason } from '../../../shared/reasons';
import { BadInputError } from '../errors';
import { unDateGenerated, type FoundSourceDate } from './source-date';

export type PresetName = 'un-xml' | 'ofac-sdn';

export interface PresetFile {
  fileName: string;
  content: Uint8Array;
}

/** What a preset found besides its entries. */
export interface PresetStats {
  skipped: Record<string, number>;
  /** The date the file gives for itself (UN `dateGenerated`; the OFAC CSV set carries none: source-date.ts). */
  sourceDate?: FoundSourceDate | null;
}

type Emit = (e: ParsedEntry) => void;
type Problem = (p: ImportProblem) => void;

/** Which preset a set of files is, or null for an ordinary spreadsheet. */
export function detectPreset(files: PresetFile[]): PresetName | null {
  const first = files[0];
  if (!first) return null;
  const head = Buffer.from(first.content.subarray(0, 2048)).toString('latin1');
  if (/\.xml$/i.test(first.fileName) || /^\s*(<\?xml[^>]*>\s*)?<CONSOLIDATED_LIST\b/.test(head)) return 'un-xml';
  if (files.some((f) => isOfacKind(f) === 'sdn')) return 'ofac-sdn';
  return null;
}

/** Classifies an OFAC file by its first line: sdn (12 columns), alt (aka/fka/nka) or add. */
function isOfacKind(f: PresetFile): 'sdn' | 'alt' | 'add' | null {
  // A UTF-8 byte-order mark (a file saved again by Excel or Notepad) is not part of the first cell.
  const line = Buffer.from(f.content.subarray(0, 4096)).toString('latin1').replace(/^\u00ef\u00bb\u00bf/, '').split(/\r?\n/)[0] ?? '';
  if (!/^\d+,/.test(line) || !line.includes('-0-')) return null;
  if (/^\d+,"[^"]*","?(individual|vessel|aircraft|-0-)/i.test(line)) return 'sdn';
  if (/^\d+,\d+,"?(aka|fka|nka)"?,/i.test(line)) return 'alt';
  if (/^\d+,\d+,/.test(line)) return 'add';
  return null;
}

function clean(v: unknown): string {
  const s = (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '').trim();
  return s === '-0-' ? '' : s;
}

function asArray<T>(v: T | T[] | undefined | null): T[] {
  if (v === undefined || v === null || v === '') return [];
  return Array.isArray(v) ? v : [v];
}

/** "NORIEGA, Manuel Antonio" -> "Manuel Antonio NORIEGA" (OFAC writes surname first). */
function ofacName(s: string): string {
  const m = /^([^,]+),\s*(.+)$/.exec(s);
  return m ? `${m[2]} ${m[1]}` : s;
}

function readOfacCsv(f: PresetFile): string[][] {
  let text = withoutDosEof(decodeText(Buffer.from(f.content)));
  if (text.includes('\u0000')) throw new BadInputError(reason('file.ofacBinary', { file: f.fileName.slice(0, 120) }));
  text = text.replace(/\r\n?/g, '\n');
  return Papa.parse<string[]>(text, { skipEmptyLines: true, delimiter: ',' }).data;
}

/** The label of an identity document in OFAC's remarks, and where its number may begin (after `No.`, or at it). */
const DOCUMENT_LABEL = /^(Passport|National ID No\.|Cedula No\.|Identification Number|Tax ID No\.)\s*(No\.)?\s*/i;
/** A character of a document number as OFAC writes it (its first is a letter or digit). */
const NUMBER_CHAR = /[A-Z0-9 ./-]/i;
const NUMBER_START = /[A-Z0-9]/i;
const SPACE = /\s/;
/** What may follow the number and its bracketed issuer: `issued ...` or `expires ...` to the end of the line. */
const ISSUED_OR_EXPIRES = /^(?:issued|expires) /i;

/**
 * The number and the bracketed issuer of a document remark whose label `label` matched
 * ("Passport 00123456 (Iran) issued 2001"): the shortest number, of letters, digits, spaces and
 * `./-`, that the rest of the part follows as spaces, an optional `(issuer)`, spaces and an
 * optional `issued ...`/`expires ...` on the same line; null when none does. The same reading as
 * the single pattern it replaces, found in linear time: that pattern (a lazy number between
 * `\s*`s) took 55 s on a remark of 4,000 spaces.
 */
function documentRemark(part: string, label: RegExpExecArray): { number: string; issuer: string | undefined } | null {
  const tries = [label[0].length];
  // Without the optional `No.` the number may begin at it (the pattern backtracked so).
  if (label[2]) tries.push(label.index + label[0].lastIndexOf(label[2]));
  for (const start of tries) {
    const found = numberFrom(part.slice(start));
    if (found) return found;
  }
  return null;
}

/** documentRemark's reading of `rest`, the part after the label: its shortest number and the issuer in brackets after it; null when none fits. */
function numberFrom(rest: string): { number: string; issuer: string | undefined } | null {
  if (!NUMBER_START.test(rest[0] ?? '')) return null;
  let end = 1;
  while (end < rest.length && NUMBER_CHAR.test(rest[end]!)) end++;
  // `.` stops at a line break: `issued ...` must run to the end on one line.
  const lastBreak = Math.max(rest.lastIndexOf('\n'), rest.lastIndexOf('\r'), rest.lastIndexOf('\u2028'), rest.lastIndexOf('\u2029'));
  const skipSpaces = (i: number): number => {
    while (i < rest.length && SPACE.test(rest[i]!)) i++;
    return i;
  };
  const endsWell = (i: number): boolean => i === rest.length || (i > lastBreak && ISSUED_OR_EXPIRES.test(rest.slice(i, i + 8)));
  for (let k = 1; k <= end; k++) {
    // A number ends before spaces (checked once, at the first of them), before `issued`/`expires`, or where its characters end.
    if (k < end && SPACE.test(rest[k - 1]!)) continue;
    if (k < end && !SPACE.test(rest[k]!) && !ISSUED_OR_EXPIRES.test(rest.slice(k, k + 8))) continue;
    const j = skipSpaces(k);
    if (rest[j] === '(') {
      const close = rest.indexOf(')', j + 1);
      if (close >= 0 && endsWell(skipSpaces(close + 1))) return { number: rest.slice(0, k), issuer: rest.slice(j + 1, close) };
      // No closing bracket: the pattern cannot skip the bracket either.
      if (close < 0) return null;
      continue;
    }
    if (endsWell(j)) return { number: rest.slice(0, k), issuer: undefined };
  }
  return null;
}

/** Facts read from OFAC's remarks ("DOB 10 Dec 1948; POB Egypt; Passport 1084010 (Egypt); ..."). */
export function parseOfacRemarks(remarks: string): {
  dobs: string[];
  nationalities: string[];
  unknownNationalities: string[];
  documents: EntryDocument[];
  sex: Sex | null;
  badDates: string[];
} {
  const out = { dobs: [] as string[], nationalities: [] as string[], unknownNationalities: [] as string[], documents: [] as EntryDocument[], sex: null as Sex | null, badDates: [] as string[] };
  for (const raw of remarks.replace(/\.$/, '').split(/;\s*/)) {
    const part = raw.trim().replace(/^alt\.\s*/i, '');
    let m: RegExpExecArray | null;
    let doc: { number: string; issuer: string | undefined } | null;
    if ((m = /^DOB\s+(.+)$/i.exec(part))) {
      // A range ("1960 to 1962", "1960-1962") is read as its first date. `to` is found by its own
      // letters with a space either side, not by `\s+to\s+`, which was tried from every space of a
      // long run (quadratic: 7 s for a remark of 40,000 spaces).
      const d = m[1]!.replace(/^(circa|approximately|about)\s+/i, '').split(/(?<=\s)to(?=\s)|(?<=^\d{4})\s*-\s*(?=\d{4}$)/i)[0]!.trim();
      const p = parseDate(d);
      if (p.ok) out.dobs.push(p.date.iso);
      else out.badDates.push(m[1]!);
    } else if ((m = /^(?:nationality|citizen)\s+(.+)$/i.exec(part))) {
      const a3 = toAlpha3(m[1]!.trim());
      if (a3) {
        if (!out.nationalities.includes(a3)) out.nationalities.push(a3);
      } else out.unknownNationalities.push(m[1]!.trim());
    } else if ((m = DOCUMENT_LABEL.exec(part)) && (doc = documentRemark(part, m))) {
      const number = normalizeDocumentNumber(doc.number);
      const issuer = doc.issuer ? toAlpha3(doc.issuer.trim()) : null;
      const type: EntryDocument['type'] = /^passport/i.test(m[1]!) ? 'passport' : /national id|cedula/i.test(m[1]!) ? 'national-id' : 'other';
      if (number) out.documents.push({ number, type, issuer });
    } else if ((m = /^Gender\s+(\w+)/i.exec(part))) {
      out.sex = toSex(m[1]!);
    }
  }
  return out;
}

/** Imports the OFAC SDN set (sdn + optional alt and add files) as one list. */
export function parseOfac(files: PresetFile[], conv: RowConverter, emit: Emit, problem: Problem, progress: (f: number) => void): PresetStats {
  const sdnFile = files.find((f) => isOfacKind(f) === 'sdn')!;
  const skipped: Record<string, number> = { entity: 0, vessel: 0, aircraft: 0 };
  const aliases = new Map<string, { name: string; type: string }[]>();
  const addresses = new Map<string, string[]>();
  for (const f of files) {
    if (f === sdnFile) continue;
    const kind = isOfacKind(f);
    if (kind === 'alt') {
      for (const r of readOfacCsv(f)) {
        const name = clean(r[3]);
        if (!name) continue;
        const list = aliases.get(clean(r[0])) ?? [];
        list.push({ name: ofacName(name), type: clean(r[2]) });
        aliases.set(clean(r[0]), list);
      }
    } else if (kind === 'add') {
      for (const r of readOfacCsv(f)) {
        const a = [r[2], r[3], r[4]].map(clean).filter(Boolean).join(', ');
        if (!a) continue;
        const list = addresses.get(clean(r[0])) ?? [];
        list.push(a);
        addresses.set(clean(r[0]), list);
      }
    } else {
      throw new BadInputError(reason('file.notOfac', { file: f.fileName.slice(0, 120) }));
    }
  }
  const rows = readOfacCsv(sdnFile);
  const sheet = sdnFile.fileName;
  rows.forEach((r, i) => {
    const rowNo = i + 1;
    if (i % 500 === 0) progress(i / rows.length);
    const err = (r: Reason, column: string | null = null) => problem({ severity: 'error', sheet, row: rowNo, column, ...reasonView(r) });
    const warn = (r: Reason, column: string | null = null) => problem({ severity: 'warning', sheet, row: rowNo, column, ...reasonView(r) });
    if (r.length < 3) {
      conv.rowsRead++;
      conv.rejected++;
      err(reason('row.ofacTooFewColumns', { count: r.length }));
      return;
    }
    const type = clean(r[2]).toLowerCase();
    if (type !== 'individual') {
      skipped[type === 'vessel' ? 'vessel' : type === 'aircraft' ? 'aircraft' : 'entity']!++;
      return;
    }
    conv.rowsRead++;
    const id = clean(r[0]);
    const primary = clean(r[1]);
    if (!primary) {
      conv.rejected++;
      err(reason('row.individualNoName'), 'B (SDN_Name)');
      return;
    }
    const names: EntryName[] = [{ name: ofacName(primary), kind: 'primary' }];
    for (const a of aliases.get(id) ?? []) if (!names.some((n) => n.name === a.name)) names.push({ name: a.name, kind: 'alias' });
    const remarks = clean(r[11]);
    const facts = parseOfacRemarks(remarks);
    for (const b of facts.badDates) warn(reason('row.dobValueLeftOut', { value: b }), 'L (Remarks)');
    for (const n of facts.unknownNationalities) warn(reason('row.nationalityValueLeftOut', { value: n }), 'L (Remarks)');
    const extraDobs = facts.dobs.slice(1);
    const remarkText = [remarks, extraDobs.length ? `other dates of birth: ${extraDobs.join(', ')}` : '', ...(addresses.get(id) ?? []).map((a) => `address: ${a}`)]
      .filter(Boolean).join('\n');
    emit(conv.finish({
      externalId: id, sourceRow: rowNo, names, dateOfBirth: facts.dobs[0] ?? null, sex: facts.sex, nationalities: facts.nationalities,
      documents: facts.documents, reference: clean(r[3]) || null, reason: clean(r[4]) || null, remarks: remarkText || null,
    }));
  });
  return { skipped };
}

/** Words that introduce a document number in free text (`... passport no. D00000897`, `number 123`, `No.: 286`). */
const NUMBER_LABEL = /^(?:no|nos|nr|number|num|n°|no°|#)\.?:?$/i;
/** A label glued to the number (`No34409/129`, `N°235`). */
const GLUED_LABEL = /^(?:no\.?|n°|#)(?=\d)/i;

/**
 * The document number in the free text of a UN `NUMBER` (issue 13: "CAR diplomatic passport no.
 * D00000897" was stored as one glued token, CARDIPLOMATICPASSPORTNOD00000897). Read by words,
 * not by deleting every non-alphanumeric character: bracketed notes (`(Expires 18 Jun. 2018)`,
 * `(US)`) and a trailing `, country` are dropped; after the first number label (`no.`, `number`,
 * `n°`, `:`) the number is the words that follow, other labels among them dropped (`8208 No.
 * 555627` -> 8208555627, a Russian series and number); without a label it is the last run of
 * words holding digits, with a one- or two-letter prefix word before it (`SE 012820`, `Libya
 * B/002210` -> B002210). Returns the normalized number (values.ts), or '' when the text holds no
 * digit (then the document is left out, and said so).
 */
export function documentNumberIn(text: string): string {
  let t = text.replace(/\([^()]*\)/g, ' ');
  const comma = t.lastIndexOf(',');
  if (comma >= 0 && !/\d/.test(t.slice(comma))) t = t.slice(0, comma);
  t = t.trim();
  if (!/\d/.test(t)) return '';
  let words = t.split(/\s+/).filter(Boolean);
  const labelAt = words.findIndex((w) => NUMBER_LABEL.test(w) || w.endsWith(':'));
  if (labelAt >= 0 && words.slice(labelAt + 1).some((w) => /\d/.test(w))) {
    words = words.slice(labelAt + 1).filter((w) => !NUMBER_LABEL.test(w));
  } else {
    // The last run of words with digits, and a short letter prefix before it.
    let end = words.length;
    while (end > 0 && !/\d/.test(words[end - 1]!)) end--;
    let start = end;
    while (start > 0 && /\d/.test(words[start - 1]!)) start--;
    if (start > 0 && /^[A-Z]{1,2}$/.test(words[start - 1]!)) start--;
    words = words.slice(start, end);
  }
  return normalizeDocumentNumber(words.map((w) => w.replace(GLUED_LABEL, '')).join(' '));
}

interface UnDoc { TYPE_OF_DOCUMENT?: string; NUMBER?: string | number; ISSUING_COUNTRY?: string; COUNTRY_OF_ISSUE?: string; NOTE?: string }
interface UnDob { TYPE_OF_DATE?: string; DATE?: string; YEAR?: string | number; FROM_YEAR?: string | number; TO_YEAR?: string | number }

/** Imports the UN consolidated list XML: each INDIVIDUAL is an entry; ENTITIES are skipped. */
export function parseUnXml(file: PresetFile, conv: RowConverter, emit: Emit, problem: Problem, progress: (f: number) => void): PresetStats {
  const text = decodeText(Buffer.from(file.content));
  const parser = new XMLParser({
    // Only the root's `dateGenerated` (the list's own date) is read of the attributes.
    ignoreAttributes: (name) => name !== 'dateGenerated',
    parseTagValue: false,
    processEntities: true,
    isArray: (name) => ['INDIVIDUAL', 'ENTITY', 'VALUE', 'INDIVIDUAL_ALIAS', 'INDIVIDUAL_DOCUMENT', 'INDIVIDUAL_DATE_OF_BIRTH', 'NATIONALITY'].includes(name),
  });
  let doc: { CONSOLIDATED_LIST?: { INDIVIDUALS?: { INDIVIDUAL?: Record<string, unknown>[] }; ENTITIES?: { ENTITY?: unknown[] }; '@_dateGenerated'?: unknown } };
  try {
    doc = parser.parse(text, true) as typeof doc;
  } catch {
    throw new BadInputError(reason('file.xmlDamaged'));
  }
  const root = doc.CONSOLIDATED_LIST;
  if (!root || typeof root !== 'object') throw new BadInputError(reason('file.notUnList'));
  const people = asArray(root.INDIVIDUALS?.INDIVIDUAL);
  const skipped = { entity: asArray(root.ENTITIES?.ENTITY).length };
  const sourceDate = unDateGenerated(root['@_dateGenerated']);
  const sheet = 'INDIVIDUALS';
  people.forEach((p, i) => {
    const rowNo = i + 1;
    if (i % 200 === 0) progress(i / people.length);
    conv.rowsRead++;
    const warn = (r: Reason, column: string) => problem({ severity: 'warning', sheet, row: rowNo, column, ...reasonView(r) });
    const primary = ['FIRST_NAME', 'SECOND_NAME', 'THIRD_NAME', 'FOURTH_NAME'].map((k) => clean(p[k])).filter(Boolean).join(' ');
    const names: EntryName[] = [];
    const add = (n: string, kind: EntryName['kind']) => {
      const c = n.replace(/\s+/g, ' ').trim();
      if (c && !names.some((x) => x.name === c)) names.push({ name: c, kind });
    };
    add(primary, 'primary');
    add(clean(p.NAME_ORIGINAL_SCRIPT), names.length ? 'alias' : 'primary');
    for (const a of asArray(p.INDIVIDUAL_ALIAS as Record<string, unknown>[])) add(clean(a?.ALIAS_NAME), names.length ? 'alias' : 'primary');
    if (!names.length) {
      conv.rejected++;
      problem({ severity: 'error', sheet, row: rowNo, column: 'FIRST_NAME', ...reasonView(reason('row.individualNoName')) });
      return;
    }
    const dobs: string[] = [];
    for (const d of asArray(p.INDIVIDUAL_DATE_OF_BIRTH as UnDob[])) {
      const raw = clean(d?.DATE) || clean(d?.YEAR) || clean(d?.FROM_YEAR);
      if (!raw) continue;
      const r = parseDate(raw);
      if (r.ok) dobs.push(r.date.iso);
      else warn(reason('row.dobValueLeftOut', { value: raw }), 'INDIVIDUAL_DATE_OF_BIRTH');
    }
    const nationalities: string[] = [];
    for (const n of asArray(p.NATIONALITY as { VALUE?: unknown[] }[])) {
      for (const v of asArray(n?.VALUE)) {
        const s = clean(v);
        if (!s) continue;
        const a3 = toAlpha3(s);
        if (a3) {
          if (!nationalities.includes(a3)) nationalities.push(a3);
        } else warn(reason('row.nationalityValueLeftOut', { value: s }), 'NATIONALITY');
      }
    }
    const documents: EntryDocument[] = [];
    for (const d of asArray(p.INDIVIDUAL_DOCUMENT as UnDoc[])) {
      const raw = clean(d?.NUMBER);
      if (!raw) continue;
      const number = documentNumberIn(raw);
      if (!number) {
        warn(reason('row.documentNumberLeftOut'), 'INDIVIDUAL_DOCUMENT');
        continue;
      }
      // The type from TYPE_OF_DOCUMENT, else from the number's own words ("national identity card number ...").
      const country = clean(d?.ISSUING_COUNTRY) || clean(d?.COUNTRY_OF_ISSUE);
      const typeOf = (s: string): EntryDocument['type'] => (/passport|passeport|pasaporte/i.test(s) ? 'passport' : /national (identification|identity)|identity card/i.test(s) ? 'national-id' : 'other');
      const byType = typeOf(clean(d?.TYPE_OF_DOCUMENT));
      documents.push({
        number,
        type: byType !== 'other' ? byType : /counterfeit|forged|false/i.test(raw) ? 'other' : typeOf(raw),
        issuer: country ? toAlpha3(country) : null,
      });
    }
    const sex = toSex(clean(p.GENDER));
    const remarks = [clean(p.COMMENTS1), dobs.length > 1 ? `other dates of birth: ${dobs.slice(1).join(', ')}` : ''].filter(Boolean).join('\n');
    emit(conv.finish({
      externalId: clean(p.DATAID), sourceRow: rowNo, names, dateOfBirth: dobs[0] ?? null, sex, nationalities, documents,
      reference: clean(p.REFERENCE_NUMBER) || null, reason: clean(p.UN_LIST_TYPE) || null, remarks: remarks || null,
    }));
  });
  return { skipped, sourceDate };
}
