/**
 * The csv export's own quoting (export.ts csvWriter, which writes lines itself rather than
 * through papaparse per batch, for speed) must write exactly what papaparse's unparse wrote:
 * the bytes of existing exports, and what auditors' tools read, stay the same.
 */
import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { csvField, csvWriter, type Cell, type TableSpec } from '../../electron/core/crossings/export';
import { neutralizeFormula } from '../../electron/core/spreadsheet/write';

const SPEC: TableSpec = { sheet: 'S', header: ['a', 'b', 'c'], columns: [] };

/** The rows as csvWriter writes them (between the BOM+header and the anchor block). */
function written(rows: Cell[][]): string {
  const chunks: Buffer[] = [];
  const w = csvWriter((c) => chunks.push(c));
  w.table(SPEC);
  const before = Buffer.concat(chunks).length;
  void w.rows(rows);
  return Buffer.concat(chunks).subarray(before).toString('utf8');
}

/** The same rows through papaparse, as the writer did before (text neutralized first). */
function papa(rows: Cell[][]): string {
  const cells = rows.map((r) => r.map((v) => (v === null ? '' : typeof v === 'string' ? (neutralizeFormula(v) as string) : v)));
  return `${Papa.unparse(cells, { newline: '\r\n' })}\r\n`;
}

describe('csv export quoting', () => {
  it('quotes a field as papaparse does: comma, quote, CR, LF, BOM, a leading or trailing space; quotes doubled', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
    expect(csvField('\ufeffbom')).toBe('"\ufeffbom"');
    expect(csvField(' lead')).toBe('" lead"');
    expect(csvField('trail ')).toBe('"trail "');
    expect(csvField('')).toBe('');
  });

  it('writes any rows of text, numbers and empty cells byte for byte as papaparse unparse did', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'ก', ' ', ',', '"', '\r', '\n', '\ufeff', '=', '+', '-', '@', '\t', "'", ';', 'é'), maxLength: 8 });
    const cell = fc.oneof(text, fc.integer({ min: -1000, max: 1000 }), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constant(null));
    fc.assert(fc.property(fc.array(fc.array(cell, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 5 }), (rows) => {
      expect(written(rows)).toBe(papa(rows));
    }), { numRuns: 500 });
  });
});
