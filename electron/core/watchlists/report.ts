/**
 * The import report as an xlsx workbook: summary, problems (sheet, row, column, severity, reason),
 * the entries as they will be stored (first 1,000) and the difference from the active version.
 * Every text cell goes through write.ts writeTables, which neutralizes formula-looking text (a
 * remark imported as `=...` is kept as inert text: mapping.ts) so that Excel never evaluates it.
 * Built in memory; it holds names, so the handler audits the export with its SHA-256. It carries
 * the audit anchor (anchor.ts: the head just before the export's own row) as its last sheet.
 */
import type { AuditAnchorView, ImportReport } from '../../../shared/contract';
import { writeTables, type CellValue, type Table } from '../spreadsheet/write';
import { dateColumnLine } from './date-columns';
import type { ImportJob } from './jobs';

/** Builds the report workbook of a finished job, with `anchor` (anchor.ts) as its last sheet. */
export function reportWorkbook(job: ImportJob, anchor: AuditAnchorView): Buffer {
  const r = job.report as ImportReport;
  const summary: CellValue[][] = [
    ['File', r.fileName], ['SHA-256', r.sha256], ['Format', r.preset ?? 'spreadsheet'], ['Sheet', r.sheet], ['Header row', r.headerRow],
    ['Rows read', r.rowsRead], ['Imported', r.imported], ['Rejected', r.rejected], ['Errors', r.errors], ['Warnings', r.warnings],
    ...Object.entries(r.skipped).map(([k, v]): CellValue[] => [`Skipped (${k})`, v]),
    ['Aliases', r.counts.aliases], ['With date of birth', r.counts.datesOfBirth], ['With nationality', r.counts.withNationality],
    ['Passports', r.counts.passports], ['National IDs', r.counts.nationalIds],
    ['Published', r.published ? `version ${r.versionNumber}` : r.pendingApproval ? `version ${r.versionNumber} waiting for approval` : `no (${r.notPublished ?? ''})`],
    ...Object.entries(r.mapping).map(([f, h]): CellValue[] => [`Column for ${f}`, h]),
    ...(r.dateColumns ?? []).map((d): CellValue[] => ['Dates of birth', dateColumnLine(d)]),
  ];
  const tables: Table[] = [
    { sheet: 'Summary', header: ['Item', 'Value'], rows: summary },
    { sheet: 'Problems', header: ['Severity', 'Sheet', 'Row', 'Column', 'Reason'], rows: r.problems.map((p) => [p.severity, p.sheet, p.row, p.column ?? '', p.message]) },
    {
      sheet: 'Entries',
      header: ['Entry ID', 'Row', 'Name', 'Aliases', 'Date of birth', 'Sex', 'Nationality', 'Documents', 'Reference', 'Reason', 'Remarks'],
      rows: job.preview.map((e) => [
        e.entryId, e.sourceRow, e.names[0]?.name ?? '', e.names.slice(1).map((n) => n.name).join('; '), e.dateOfBirth ?? '', e.sex ?? '',
        e.nationalities.join('; '), e.documents.map((d) => `${d.type} ${d.number}${d.issuer ? ` (${d.issuer})` : ''}`).join('; '), e.reference ?? '', e.reason ?? '',
        e.remarks ?? '',
      ]),
    },
  ];
  if (r.diff) {
    const d = r.diff;
    tables.push({
      sheet: 'Changes',
      header: ['Change', 'Entry ID', 'Row', 'Name', 'Fields'],
      rows: [
        ...d.samples.added.map((i): CellValue[] => ['added', i.entryId, i.sourceRow, i.name, '']),
        ...d.samples.changed.map((i): CellValue[] => ['changed', i.entryId, i.sourceRow, i.name, (i.fields ?? []).join(', ')]),
        ...d.samples.removed.map((i): CellValue[] => ['removed', i.entryId, i.sourceRow, i.name, '']),
      ],
    });
  }
  return writeTables(tables, 'xlsx', anchor);
}
