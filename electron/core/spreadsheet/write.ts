/**
 * Writes tables to xlsx or csv in memory (never to a staging file). Cells that a spreadsheet would
 * read as a formula are neutralized (OWASP "CSV injection": leading =, +, -, @, tab, CR). Every
 * file carries the audit anchor (anchor.ts): a last sheet in xlsx, a last block in csv.
 */
import * as XLSX from '@e965/xlsx';
import Papa from 'papaparse';
import type { AuditAnchorView } from '../../../shared/contract';
import { ANCHOR_SHEET, anchorRows } from '../anchor';

export type CellValue = string | number | boolean | null;

/** Prefixes a text cell that would be read as a formula with an apostrophe. */
export function neutralizeFormula(v: CellValue): CellValue {
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(v)) return `'${v}`;
  return v;
}

/** Makes a legal, unique-enough Excel sheet name: at most 31 characters, none of []:*?/\ . */
export function legalSheetName(name: string): string {
  const clean = name.replace(/[[\]:*?/\\]/g, ' ').replace(/^'+|'+$/g, '').trim().slice(0, 31);
  return clean || 'Sheet1';
}

export interface Table {
  sheet: string;
  header: string[];
  rows: CellValue[][];
}

/**
 * Serializes tables: xlsx (one sheet each, then the sheet "Audit anchor") or csv (the first table,
 * UTF-8 with BOM for Excel, then an empty line and the anchor block: anchor.ts). The data rows are
 * written as they would be without the anchor.
 */
export function writeTables(tables: Table[], format: 'xlsx' | 'csv', anchor: AuditAnchorView): Buffer {
  if (format === 'csv') {
    const t = tables[0]!;
    const csv = Papa.unparse([t.header, ...t.rows.map((r) => r.map((v) => neutralizeFormula(v ?? '')))], { newline: '\r\n' });
    const block = Papa.unparse(anchorRows(anchor).map((r) => r.map(neutralizeFormula)), { newline: '\r\n' });
    return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${csv}\r\n\r\n${block}\r\n`, 'utf8')]);
  }
  const wb = XLSX.utils.book_new();
  for (const t of tables) {
    const ws = XLSX.utils.aoa_to_sheet([t.header, ...t.rows.map((r) => r.map(neutralizeFormula))]);
    XLSX.utils.book_append_sheet(wb, ws, legalSheetName(t.sheet));
  }
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(anchorRows(anchor)), ANCHOR_SHEET);
  return XLSX.write(wb, { type: 'buffer', bookType: 'xlsx', compression: true }) as Buffer;
}
