/**
 * The SheetJS path, kept for legacy .xls (BIFF, at most 65,536 rows): one synchronous
 * `XLSX.read` into dense sheets, then the same cell semantics and clamped merges as the
 * streaming xlsx reader. Any SheetJS failure becomes a BadInputError. Also used by the
 * differential test on xlsx files (the former reader's behaviour, plus clamped merges).
 */
import * as XLSX from '@e965/xlsx';
import { reason } from '../../../shared/reasons';
import { BadInputError } from '../errors';
import { MAX_MERGED_FILLS, MAX_SHEET_COLUMNS, type Cell, type Sheet } from './types';

const SSF = XLSX.SSF as unknown as { is_date(fmt: string): boolean };
const isDateFormat = (fmt: string): boolean => SSF.is_date(fmt);

/**
 * Reads a workbook with SheetJS into materialized sheets. Merged ranges copy their top-left
 * value into the empty cells of the range, but only in rows that hold cells and in columns up to
 * the last column holding a cell (a range never creates rows or columns). Throws BadInputError:
 * `file.encrypted`, `file.workbookDamaged` (SheetJS could not read it), `file.noSheets`,
 * `file.sheetMissing` (a listed sheet SheetJS could not parse), `file.sheetTooWide`,
 * `file.mergesTooLarge`.
 */
export function readWithSheetJS(buf: Buffer): Sheet[] {
  let wb: XLSX.WorkBook;
  try {
    // cellStyles: needed for the columns' hidden flags (!cols); cellFormula: formulas are flagged, never evaluated.
    wb = XLSX.read(buf, { type: 'buffer', cellDates: false, cellNF: true, cellText: true, dense: true, cellStyles: true, cellFormula: true });
  } catch (e) {
    if (e instanceof Error && /password/i.test(e.message)) throw new BadInputError(reason('file.encrypted'));
    throw new BadInputError(reason('file.workbookDamaged'));
  }
  const names = Array.isArray(wb?.SheetNames) ? wb.SheetNames : [];
  if (!names.length) throw new BadInputError(reason('file.noSheets'));
  const date1904 = Boolean(wb.Workbook?.WBProps?.date1904);
  return names.map((name) => {
    const label = String(name).slice(0, 60);
    const ws = wb.Sheets?.[name];
    if (!ws || typeof ws !== 'object') throw new BadInputError(reason('file.sheetMissing', { sheet: label }));
    try {
      return sheetOf(String(name), ws, date1904);
    } catch (e) {
      if (e instanceof BadInputError) throw e;
      throw new BadInputError(reason('file.sheetXmlDamaged', { sheet: label }));
    }
  });
}

function sheetOf(name: string, ws: XLSX.WorkSheet, date1904: boolean): Sheet {
  const label = name.slice(0, 60);
  const dense = (ws as unknown as { '!data'?: (XLSX.CellObject | undefined)[][] })['!data'] ?? [];
  const rows: Cell[][] = [];
  let maxCol = -1;
  dense.forEach((r, i) => {
    if (!r) return;
    const cells: Cell[] = [];
    r.forEach((c, j) => {
      if (c?.f) {
        cells[j] = { v: c.v === undefined ? null : (c.v as Cell['v']), w: c.w, formula: true };
        return;
      }
      if (!c || c.t === 'z' || c.v === undefined) return;
      const isDate = c.t === 'n' && typeof c.z === 'string' && isDateFormat(c.z);
      cells[j] = { v: c.v as Cell['v'], w: c.w, date: isDate || c.t === 'd' };
    });
    if (cells.length > MAX_SHEET_COLUMNS) {
      throw new BadInputError(reason('file.sheetTooWide', { sheet: label, count: cells.length, max: MAX_SHEET_COLUMNS }));
    }
    // A row SheetJS created for cells that all turned out empty holds no cell.
    if (!cells.some(Boolean)) return;
    maxCol = Math.max(maxCol, cells.length - 1);
    rows[i] = cells;
  });
  // Merged cells: copy the top-left value across the merge (header cells spanning columns),
  // clamped to the rows holding cells and the columns up to the last one holding a cell.
  let fills = 0;
  for (const m of ws['!merges'] ?? []) {
    const src = rows[m.s.r]?.[m.s.c];
    if (!src || src.v === null) continue;
    const lastCol = Math.min(m.e.c, maxCol);
    const lastRow = Math.min(m.e.r, rows.length - 1);
    for (let r = m.s.r; r <= lastRow; r++) {
      const row = rows[r];
      if (!row) continue;
      for (let c = m.s.c; c <= lastCol; c++) {
        const cur = row[c];
        if (cur && cur.v !== null) continue;
        if (++fills > MAX_MERGED_FILLS) throw new BadInputError(reason('file.mergesTooLarge', { sheet: label, max: MAX_MERGED_FILLS }));
        row[c] = { ...src };
      }
    }
  }
  const outRows: Cell[][] = [];
  const rowNumbers: number[] = [];
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (!r) continue;
    for (let j = 0; j < r.length; j++) r[j] ??= { v: null };
    outRows.push(r);
    rowNumbers.push(i + 1);
  }
  const hiddenColumns = new Set<number>();
  (ws['!cols'] ?? []).forEach((c, j) => c?.hidden && hiddenColumns.add(j));
  return { name, rows: outRows, rowNumbers, hiddenColumns, date1904 };
}
