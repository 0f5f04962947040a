/**
 * Each chart's numbers as a real table (caption, column headers, a row header per row), in the
 * UI's language with numbers formatted by its locale: what a screen reader, a keyboard user or
 * anyone checking a number reads instead of the canvas.
 */
import type { ReactNode } from 'react';
import { OUTCOMES } from '../../../../shared/domain';
import { formatDob } from '../../format';
import type { ChartContext } from './options';

interface Column {
  header: string;
  numeric?: boolean;
}

/** A table whose first cell in each row is that row's header. */
export function DataTable({ caption, columns, rows, testId, empty }: {
  caption: string; columns: Column[]; rows: ReactNode[][]; testId: string; empty: string;
}) {
  return (
    <table className="grid compact dash-table" data-testid={testId}>
      <caption>{caption}</caption>
      <thead>
        <tr>
          {columns.map((c) => <th key={c.header} scope="col" className={c.numeric ? 'num' : undefined}>{c.header}</th>)}
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 && <tr><td colSpan={columns.length} className="muted">{empty}</td></tr>}
        {rows.map((r, i) => (
          <tr key={i} data-testid={`${testId}-row`}>
            {r.map((cell, j) => (j === 0
              ? <th key={j} scope="row">{cell}</th>
              : <td key={j} className={columns[j]?.numeric ? 'num' : undefined}>{cell}</td>))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

type TableProps = { c: ChartContext; caption: string };

const col = (c: ChartContext, key: string, numeric = true): Column => ({ header: c.t(`dashboard.cols.${key}`), numeric });

export function PerDayTable({ c, caption }: TableProps) {
  const n = (x: number) => c.nf.format(x);
  return (
    <DataTable caption={caption} testId="table-perDay" empty={c.t('dashboard.empty')}
      columns={[col(c, 'day', false), col(c, 'screenings'), col(c, 'hits'), col(c, 'crossings'), col(c, 'flagged')]}
      rows={c.view.perDay.map((p) => [formatDob(p.day, c.lang), n(p.screenings), n(p.hits), n(p.crossings), n(p.flagged)])} />
  );
}

export function ByListTable({ c, caption }: TableProps) {
  const n = (x: number) => c.nf.format(x);
  return (
    <DataTable caption={caption} testId="table-byList" empty={c.t('dashboard.noLists')}
      columns={[col(c, 'list', false), col(c, 'kind', false), col(c, 'hits'), col(c, 'confirmed'), col(c, 'notSame'), col(c, 'undecided')]}
      rows={c.view.byList.map((l) => [l.list, c.t(`kinds.${l.kind}`), n(l.hits), n(l.confirmed), n(l.notSame), n(l.undecided)])} />
  );
}

/** Share of the decided hits that were confirmed, or a dash when none was decided. */
function confirmedShare(c: ChartContext, confirmed: number, notSame: number): string {
  const decided = confirmed + notSame;
  return decided ? new Intl.NumberFormat(c.lang === 'th' ? 'th-TH' : 'en-US', { style: 'percent', maximumFractionDigits: 0 }).format(confirmed / decided) : '–';
}

export function DecisionsTable({ c, caption }: TableProps) {
  const n = (x: number) => c.nf.format(x);
  return (
    <DataTable caption={caption} testId="table-decisions" empty={c.t('dashboard.noHits')}
      columns={[col(c, 'list', false), col(c, 'band', false), col(c, 'confirmed'), col(c, 'notSame'), col(c, 'undecided'), col(c, 'confirmedShare')]}
      rows={c.view.decisions.map((d) => [d.list, c.t(`bands.${d.band}`), n(d.confirmed), n(d.notSame), n(d.undecided), confirmedShare(c, d.confirmed, d.notSame)])} />
  );
}

export function ByCheckpointTable({ c, caption }: TableProps) {
  const n = (x: number) => c.nf.format(x);
  return (
    <DataTable caption={caption} testId="table-byCheckpoint" empty={c.t('dashboard.noCrossings')}
      columns={[col(c, 'checkpoint', false), col(c, 'crossings'), col(c, 'flagged')]}
      rows={c.view.byCheckpoint.map((k) => [k.checkpoint, n(k.crossings), n(k.flagged)])} />
  );
}

export function ByDirectionTable({ c, caption }: TableProps) {
  const n = (x: number) => c.nf.format(x);
  return (
    <DataTable caption={caption} testId="table-byDirection" empty={c.t('dashboard.noCrossings')}
      columns={[col(c, 'direction', false), col(c, 'crossings'), col(c, 'flagged')]}
      rows={c.view.byDirection.map((d) => [c.t(`directions.${d.direction}`), n(d.crossings), n(d.flagged)])} />
  );
}

export function TopEntriesTable({ c, caption }: TableProps) {
  const n = (x: number) => c.nf.format(x);
  return (
    <DataTable caption={caption} testId="table-topEntries" empty={c.t('dashboard.noHits')}
      columns={[col(c, 'listedName', false), col(c, 'list', false), col(c, 'entryId', false), col(c, 'reference', false), col(c, 'hits'), col(c, 'confirmed')]}
      rows={c.view.topEntries.map((e) => [e.listedName, e.list, e.entryId, e.reference ?? '', n(e.hits), n(e.confirmed)])} />
  );
}

export function OutcomesTable({ c, caption }: TableProps) {
  const n = (x: number) => c.nf.format(x);
  return (
    <DataTable caption={caption} testId="table-outcomes" empty={c.t('dashboard.empty')}
      columns={[col(c, 'day', false), ...OUTCOMES.map((o) => ({ header: c.t(`outcomes.${o}`), numeric: true }))]}
      rows={c.view.outcomes.map((o) => [formatDob(o.day, c.lang), ...OUTCOMES.map((k) => n(o[k]))])} />
  );
}
