/**
 * `watchdesk central dashboard [--from D] [--to D] [--out FILE.xlsx] [--lang en|th]` (issue 16,
 * "Department-wide work"): the supervisors' dashboard counted at the centre (`central.dashboard`,
 * electron/core/central/dashboard.ts) as this desk's login may count it: every checkpoint on an
 * auditing desk, else this desk's checkpoint (PostgreSQL's row-level security decides). Without
 * `--out` it prints the counts (or the view as JSON with `--format json`); with `--out` the engine
 * writes the xlsx (complete before it has its name) and audits it as `export.centralDashboard`.
 * Registered under `central` by central.ts.
 */
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { UI_LANGS, type DashboardView, type UiLang } from '../../shared/contract';
import { assertWritable } from '../core/files';
import type { CliKit } from './admin';

/** Whose counts a view holds, in words. */
function scopeWords(v: Pick<DashboardView, 'scope'>): string {
  return v.scope === 'department' ? 'every checkpoint' : "this desk's checkpoint";
}

/**
 * The dashboard as text: the scope and range, the totals, then crossings per checkpoint, hits and
 * decisions per list, and the days with anything counted (one line each). Counts only: no traveler.
 */
export function dashboardText(v: DashboardView): string {
  const sum = (k: 'screenings' | 'hits' | 'crossings' | 'flagged') => v.perDay.reduce((n, d) => n + d[k], 0);
  const lines = [
    `${scopeWords(v)}: ${v.from} to ${v.to} (${v.perDay.length} day(s), each crossing on its checkpoint's local day), counted at the centre`,
    `screenings ${sum('screenings')}, hits ${sum('hits')}, crossings ${sum('crossings')}, flagged ${sum('flagged')}`,
  ];
  if (v.byCheckpoint.length) {
    lines.push('by checkpoint:');
    for (const c of v.byCheckpoint) lines.push(`  ${c.checkpoint}: ${c.crossings} crossing(s), ${c.flagged} flagged`);
  }
  const lists = v.byList.filter((l) => l.hits > 0);
  if (lists.length) {
    lines.push('by list:');
    for (const l of lists) lines.push(`  ${l.list}: ${l.hits} hit(s): ${l.confirmed} confirmed, ${l.notSame} not the same person, ${l.undecided} undecided`);
  }
  const days = v.perDay.filter((d) => d.screenings || d.crossings);
  if (days.length) {
    lines.push('per day:');
    for (const d of days) lines.push(`  ${d.day}: ${d.screenings} screening(s), ${d.hits} hit(s), ${d.crossings} crossing(s), ${d.flagged} flagged`);
  }
  return lines.join('\n');
}

/** Adds `dashboard` to the `central` command. */
export function registerCentralDashboard(central: Command, kit: CliKit): void {
  const { g, out, asUser } = kit;
  central
    .command('dashboard')
    .description("the supervisors' dashboard counted at the centre (an auditor or supervisor): every checkpoint on an auditing desk, else this desk's checkpoint; --out exports it as xlsx, audited on this desk")
    .option('--from <day>', "first day (YYYY-MM-DD, each crossing's local day at its checkpoint; default: 29 days before --to)")
    .option('--to <day>', "last day (YYYY-MM-DD; default: today in this desk's time zone)")
    .option('--out <file>', 'write the tables as xlsx (an existing file is refused)')
    .option('--overwrite', 'replace the --out file if it exists')
    .addOption(new Option('--lang <lang>', 'language of the headers and words in the file').choices([...UI_LANGS]).default('en'))
    .action(async (o: { from?: string; to?: string; out?: string; overwrite?: boolean; lang: UiLang }) => {
      const gl = g();
      const range = { from: o.from, to: o.to };
      if (!o.out) {
        const v = await asUser(gl, (api) => api.call('central.dashboard', range));
        out(gl, v, () => dashboardText(v));
        return;
      }
      if (!o.out.toLowerCase().endsWith('.xlsx')) throw kit.fail('--out must end in .xlsx');
      assertWritable(o.out, o.overwrite);
      // The engine writes the file (complete before it has its name), then audits it.
      const r = await asUser(gl, (api) => api.call('central.dashboardExport', { ...range, lang: o.lang }), {
        exportTo: { path: resolve(o.out), overwrite: Boolean(o.overwrite) },
      });
      out(gl, { file: o.out, rows: r.rows, sha256: r.sha256, scope: r.scope }, () => `wrote the dashboard (${scopeWords(r)}) to ${o.out} (sha256 ${r.sha256})`);
    });
}
