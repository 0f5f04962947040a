/**
 * The shapes the spreadsheet readers hand out (re-exported by read.ts, which callers import).
 */

/** A cell: its raw value and, for formatted numbers, the text Excel shows (keeps leading zeros). */
export interface Cell {
  v: string | number | boolean | null;
  /** Formatted text as displayed, when it differs from `v`. */
  w?: string;
  /** True when the spreadsheet stores the cell as a date (serial number). */
  date?: boolean;
  /** True when the cell holds a formula (its cached value, if any, is in `v`). */
  formula?: boolean;
  /**
   * A whole number's digits as the file stores them, when there are more than 15 (more than a
   * double holds exactly; a tool other than Excel may have written them all). xlsx only.
   */
  raw?: string;
}

/** A whole sheet, materialized (readSpreadsheet). */
export interface Sheet {
  name: string;
  /** Rows of cells; `rowNumbers[i]` is the 1-based row number of `rows[i]` as the user sees it. */
  rows: Cell[][];
  rowNumbers: number[];
  /** Zero-based indices of columns hidden in the workbook. */
  hiddenColumns: Set<number>;
  /** Workbook uses the 1904 date system. */
  date1904: boolean;
}

/**
 * Called for each row holding at least one cell, in row order: `cells[j]` is column j (holes are
 * `{ v: null }`), merges applied; `rowNumber` is 1-based as the user sees it. Return false to stop.
 */
export type RowHandler = (cells: Cell[], rowNumber: number) => boolean | void;

/** An opened workbook; rows are read sheet by sheet, streaming. */
export interface WorkbookReader {
  /** Sheet names in workbook order. */
  sheetNames: string[];
  /** The workbook uses the 1904 date system (serial 0 = 1904-01-01). */
  date1904: boolean;
  /**
   * Reads sheet `name` in order, calling `onRow` for each row holding any cell (merges applied);
   * `onRow` returns false to stop early (cheap: only what was read is parsed). Can be called again
   * for the same sheet. Returns the sheet's hidden columns (zero-based). Throws BadInputError with
   * a reason code: `file.noSheet` (no such sheet), `file.sheetMissing`, `file.sheetXmlDamaged`,
   * `file.zipEntryDamaged`, `file.sheetTooWide`, `file.rowOutOfRange`, ... for a damaged sheet.
   * `opts.columns` (xlsx): only those columns' cells are built (a cheap prescan of one column).
   */
  readRows(name: string, onRow: RowHandler, opts?: ReadOptions): { hiddenColumns: Set<number> };
  /**
   * Progress planning (xlsx): sheet `name` will now be read in full `reads` more times and with
   * ReadOptions.columns `columnReads` times (the reader plans one full read when opened), so that
   * the progress fraction spreads over every pass. No-op for readers without progress.
   */
  planReads(name: string, reads: number, columnReads?: number): void;
}

/** Options of WorkbookReader.readRows. */
export interface ReadOptions {
  /**
   * Zero-based columns whose cells are wanted: the others are not built (left as holes; xlsx
   * only, other readers give every cell). Rows are emitted as without it (every row holding any
   * cell), so that row counting stays the same.
   */
  columns?: number[];
}

/** Excel's last row (1-based): row numbers beyond it mark a damaged or hostile sheet. */
export const MAX_SHEET_ROWS = 1_048_576;
/** Widest sheet read, in columns (a value beyond it is refused with `file.sheetTooWide`); parse.ts MAX_COLUMNS. */
export const MAX_SHEET_COLUMNS = 1000;
/** Most merged ranges kept per sheet (`file.tooManyMerges` beyond). */
export const MAX_MERGES = 1_000_000;
/** Most cells merged ranges may fill in one sheet (`file.mergesTooLarge` beyond). */
export const MAX_MERGED_FILLS = 5_000_000;
