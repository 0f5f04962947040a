/**
 * The `watchdesk` command (DESIGN.md section 9). It drives the same handler table as the app,
 * through direct calls, acting as a named user. Output is human-readable, or JSON with
 * `--format json`; any error exits non-zero with a one-line reason on stderr.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, basename, join, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { createClient, ApiCallError, type ApiClient } from '../../shared/client';
import { UI_LANGS, type HitView, type ListView, type UiLang } from '../../shared/contract';
import { LIST_KINDS } from '../../shared/domain';
import { Engine, type EngineOptions } from '../core/api/engine';
import { assertWritable, writeFileSafe } from '../core/files';
import { defaultDbPath } from '../core/paths';
import { dateColumnLine } from '../core/watchlists/date-columns';
import { registerAdminCommands } from './admin';
import { registerCentralCommands } from './central';
import { crossingsRequest, registerDeskCommands } from './desk';
import { registerListCommands } from './lists';

interface Globals {
  db: string;
  user: string;
  format: 'text' | 'json';
  /** A desk account that opens a locked desk first (`--open-as`; its password in WATCHDESK_OPEN_PASSWORD). */
  openAs?: string;
}

class CliError extends Error {}

function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new CliError(`${name} is not set`);
  return v;
}

function out(g: Globals, json: unknown, text: () => string): void {
  process.stdout.write(g.format === 'json' ? `${JSON.stringify(json, null, 2)}\n` : `${text()}\n`);
}

/** An engine on the chosen database; `extra` adds engine options (`exportTo` for a command's --out). */
function engineFor(g: Globals, extra: Partial<EngineOptions> = {}): { engine: Engine; api: ApiClient } {
  const engine = new Engine({ dbPath: resolve(g.db), log: (l) => process.stderr.write(`${l}\n`), ...extra });
  // The CLI answers from the lists as they are: screening waits for a match-index build to finish.
  return {
    engine,
    api: createClient(async (req) => {
      if (req.method.startsWith('screening.')) await engine.indexSettled();
      return engine.handle(req);
    }),
  };
}

/**
 * Opens a locked desk as one of its own accounts (`--open-as`), as the app's sign-in does for the
 * first account of a shift, then signs that account out (both audited): a department account
 * (issue 16) that never signed in on this desk has no key slot here yet, so its password cannot
 * open the database; once the desk is open, its first sign-in makes the slot. The opener's sign-in
 * is audited as any other.
 */
async function openDesk(engine: Engine, username: string): Promise<void> {
  const opener = createClient((req) => engine.handle(req));
  await opener.call('auth.signIn', { username, password: env('WATCHDESK_OPEN_PASSWORD') });
  await opener.call('auth.signOut', {});
}

/** Runs `fn` signed in as the chosen user, closing the database afterwards; `extra` as for engineFor. */
async function asUser<T>(g: Globals, fn: (api: ApiClient) => Promise<T>, extra: Partial<EngineOptions> = {}): Promise<T> {
  const { engine, api } = engineFor(g, extra);
  try {
    if (!engine.initialized) throw new CliError(`no Watchdesk database at ${g.db} (run "watchdesk init" first)`);
    if (g.openAs) await openDesk(engine, g.openAs);
    await api.call('auth.signIn', { username: g.user, password: env('WATCHDESK_PASSWORD') });
    return await fn(api);
  } finally {
    engine.close();
  }
}

function fileBase64(path: string): string {
  try {
    return readFileSync(path).toString('base64');
  } catch {
    throw new CliError(`cannot read ${path}`);
  }
}

/**
 * Where a command's output file goes, for an engine that writes and then audits it
 * (EngineOptions.exportTo). Refuses at once, before any work, when the file exists and
 * `--overwrite` was not given (the write itself refuses atomically too).
 */
function exportTo(path: string, overwrite: boolean | undefined): NonNullable<EngineOptions['exportTo']> {
  assertWritable(path, overwrite);
  return { path: resolve(path), overwrite: Boolean(overwrite) };
}

/** The JSON shape of a hit in CLI output (DESIGN.md section 9). */
function hitJson(h: HitView) {
  return {
    list: h.list, entryId: h.entryId, sourceRow: h.sourceRow, score: h.score, band: h.band,
    name: h.explanation.matchedName, explanation: h.explanation, hitId: h.hitId, action: h.action,
  };
}

function hitLine(h: HitView, i: number): string {
  return `  ${i + 1}. ${h.score.toFixed(3)} ${h.band.padEnd(6)} ${h.list}:${h.entryId} (row ${h.sourceRow}) ${h.explanation.matchedName}\n     ${h.explanation.summary}`;
}

const program = new Command('watchdesk')
  .description('Watchdesk: screen travelers against watchlists from the command line')
  .addOption(new Option('--db <path>', 'database file').default(defaultDbPath()))
  .addOption(new Option('--user <name>', 'act as this user (password in WATCHDESK_PASSWORD)').default(process.env.WATCHDESK_USER || 'admin'))
  .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
  .addOption(new Option('--open-as <name>', "a desk account that opens a locked desk first (password in WATCHDESK_OPEN_PASSWORD): a department account's first sign-in on a desk"))
  .showHelpAfterError(false)
  .configureOutput({ writeErr: (s) => process.stderr.write(s) })
  .exitOverride();

const g = (): Globals => program.opts<Globals>();

program
  .command('init')
  .description('create a new encrypted database (WATCHDESK_PASSWORD, WATCHDESK_PASSPHRASE); refuses to overwrite')
  .option('--admin <name>', 'setup account name', 'admin')
  .option('--checkpoint <name>', 'checkpoint name', 'Checkpoint')
  .option('--timezone <tz>', 'checkpoint IANA time zone', Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC')
  .action(async (o: { admin: string; checkpoint: string; timezone: string }) => {
    const gl = g();
    mkdirSync(dirname(resolve(gl.db)), { recursive: true });
    const { engine, api } = engineFor(gl);
    try {
      const s = await api.call('app.setup', {
        adminUsername: o.admin, password: env('WATCHDESK_PASSWORD'), recoveryPassphrase: env('WATCHDESK_PASSPHRASE'),
        checkpointName: o.checkpoint, timeZone: o.timezone,
      });
      out(gl, { db: resolve(gl.db), user: s.user }, () => `created ${resolve(gl.db)} with account ${s.user.username}`);
    } finally {
      engine.close();
    }
  });

/**
 * The files of one import: the named ones, plus, for an OFAC `sdn` file given alone, the `alt` and
 * `add` files beside it (ofac_sdn.csv -> ofac_alt.csv, ofac_add.csv; sdn.csv -> alt.csv, add.csv).
 */
function importFiles(files: string[]): string[] {
  if (files.length !== 1 || !/sdn[^/\\]*\.csv$/i.test(basename(files[0]!))) return files;
  const f = files[0]!;
  const base = basename(f);
  const extra = ['alt', 'add'].map((k) => join(dirname(f), base.replace(/sdn(?=[^/\\]*\.csv$)/i, k))).filter((p) => existsSync(p));
  return [f, ...extra];
}

async function listByName(api: ApiClient, name: string) {
  const list = (await api.call('watchlists.list')).find((l) => l.name.toLowerCase() === name.toLowerCase());
  if (!list) throw new CliError(`no list named ${name}`);
  return list;
}

async function versionByNumber(api: ApiClient, listId: string, n: string) {
  const v = (await api.call('watchlists.versions', { listId })).find((x) => x.number === Number(n));
  if (!v) throw new CliError(`the list has no version ${n}`);
  return v;
}

program
  .command('import <files...>')
  .description('import a spreadsheet (xlsx, xls, csv, tsv), the UN consolidated XML or the OFAC SDN set as a new version of a list')
  .requiredOption('--list <name>', 'list name')
  .addOption(new Option('--kind <kind>', 'list kind').choices([...LIST_KINDS]))
  .option('--sheet <name>', 'sheet to import ("*" for every sheet with a header row)')
  .option('--mapping <file>', 'JSON file mapping fields to zero-based column numbers')
  .option('--dry-run', 'check the file and report without publishing')
  .option('--report <file>', 'also write the import report as xlsx (audited once written; an existing file is refused)')
  .option('--overwrite', 'replace the --report file if it exists')
  .action(async (files: string[], o: { list: string; kind?: (typeof LIST_KINDS)[number]; sheet?: string; mapping?: string; dryRun?: boolean; report?: string; overwrite?: boolean }) => {
    const gl = g();
    const reportTo = o.report ? exportTo(o.report, o.overwrite) : undefined;
    let mapping: Record<string, number> | undefined;
    // The mapping file may also state the date column's reading: {"dateOfBirth": 3, "dateOrder": "mdy", "compactDates": "YYMMDD"}.
    let dateRules: { dateOrder?: 'dmy' | 'mdy'; compactDates?: 'YYMMDD' | 'DDMMYY' | 'MMDDYY' | 'YYYYMMDD' | 'DDMMYYYY' | 'MMDDYYYY' } = {};
    if (o.mapping) {
      try {
        mapping = JSON.parse(readFileSync(o.mapping, 'utf8')) as Record<string, number>;
      } catch {
        throw new CliError(`cannot read the mapping file ${o.mapping} (JSON: {"fullName": 2, ...})`);
      }
      if (mapping && typeof mapping === 'object') {
        const { dateOrder, compactDates, ...columns } = mapping as Record<string, unknown>;
        dateRules = { dateOrder, compactDates } as typeof dateRules;
        mapping = Object.keys(columns).length ? (columns as Record<string, number>) : undefined;
      }
    }
    const all = importFiles(files);
    const [first, ...rest] = all;
    const r = await asUser(gl, async (api) => {
      const rep = await api.call('watchlists.import', {
        listName: o.list, kind: o.kind, fileName: basename(first!), contentBase64: fileBase64(first!), sheet: o.sheet, mapping, dryRun: o.dryRun, ...dateRules,
        extraFiles: rest.length ? rest.map((f) => ({ fileName: basename(f), contentBase64: fileBase64(f) })) : undefined,
      });
      // The engine writes the report to --report, then audits it (EngineOptions.exportTo).
      if (reportTo && rep.jobId) await api.call('watchlists.exportReport', { jobId: rep.jobId });
      return rep;
    }, { exportTo: reportTo });
    const d = r.diff;
    out(gl, r, () =>
      [
        r.preset ? `${r.fileName} (${r.preset === 'un-xml' ? 'UN consolidated list XML' : 'OFAC SDN set'})` : `${r.fileName} (sheet "${r.sheet}", header on row ${r.headerRow})`,
        ...(r.preset ? [] : [`mapping (${r.mappingSource}): ${Object.entries(r.mapping).map(([f, h]) => `${f}=${h}`).join(', ')}`]),
        ...(r.dateColumns ?? []).map(dateColumnLine),
        `rows read ${r.rowsRead}, imported ${r.imported}, rejected ${r.rejected}; ${r.errors} errors, ${r.warnings} warnings`,
        ...(Object.keys(r.skipped).length ? [`skipped (not persons): ${Object.entries(r.skipped).map(([k, n]) => `${n} ${k}`).join(', ')}`] : []),
        `extracted: ${r.counts.aliases} aliases, ${r.counts.datesOfBirth} dates of birth, ${r.counts.withNationality} with nationality, ${r.counts.passports} passports, ${r.counts.nationalIds} national IDs`,
        ...(d ? [`against version ${d.againstVersion}: ${d.added} added, ${d.removed} removed, ${d.changed} changed, ${d.unchanged} unchanged`] : []),
        ...(r.sameFileAs ? [`the same file (SHA-256) was imported before as version ${r.sameFileAs.versionNumber}${r.sameFileAs.active ? ' (the active version)' : ''}`] : []),
        ...r.problems.map((p) => `  ${p.severity} ${p.sheet} row ${p.row}${p.column ? ` column ${p.column}` : ''}: ${p.message}`),
        r.published ? `published as version ${r.versionNumber} of ${o.list}`
          : r.pendingApproval ? `version ${r.versionNumber} of ${o.list} waits for a second supervisor's approval`
            : r.dryRun ? 'dry run: nothing published'
              : r.notPublished === 'same-as-active' ? 'nothing published: the file is the active version already' : 'nothing published',
        ...(o.report ? [`report written to ${o.report}`] : []),
      ].join('\n'),
    );
  });

program
  .command('versions')
  .description("a list's versions (newest first)")
  .requiredOption('--list <name>', 'list name')
  .action(async (o: { list: string }) => {
    const gl = g();
    const vs = await asUser(gl, async (api) => api.call('watchlists.versions', { listId: (await listByName(api, o.list)).id }));
    out(gl, vs, () => vs.map((v) => `v${v.number}\t${v.state}${v.active ? ' (active)' : ''}\t${v.imported} entries\t${v.fileName}\t${v.createdAt}\t${v.createdBy}${v.diff ? `\t+${v.diff.added} -${v.diff.removed} ~${v.diff.changed}` : ''}`).join('\n'));
  });

/**
 * The second supervisor's approval a four-eyes action needs (issue 15: turning four eyes off, a
 * rollback of a list whose new versions need a second supervisor): `--approver <name>`, with that
 * supervisor's password in WATCHDESK_APPROVER_PASSWORD, never on the command line (where other
 * users of the machine can read it). Undefined without --approver: the engine then refuses, with
 * its reason, an action that needs a second supervisor.
 */
function approvalArg(approver: string | undefined): { username: string; password: string } | undefined {
  if (approver === undefined) return undefined;
  return { username: approver, password: env('WATCHDESK_APPROVER_PASSWORD') };
}
const APPROVER_HELP = 'a second supervisor who approves (their password in WATCHDESK_APPROVER_PASSWORD)';

for (const [cmd, desc] of [['rollback', 'make an earlier version of a list active again'], ['approve', 'approve a version waiting for a second supervisor'], ['reject', 'reject a version waiting for approval']] as const) {
  const c = program
    .command(cmd)
    .description(desc)
    .requiredOption('--list <name>', 'list name')
    .requiredOption('--version <n>', 'version number');
  if (cmd === 'rollback') c.option('--approver <name>', `${APPROVER_HELP}; needed when new versions of the list need one`);
  c
    .action(async (o: { list: string; version: string; approver?: string }) => {
      const gl = g();
      await asUser(gl, async (api) => {
        const list = await listByName(api, o.list);
        const v = await versionByNumber(api, list.id, o.version);
        if (cmd === 'rollback') await api.call('watchlists.rollback', { listId: list.id, versionId: v.id, approval: approvalArg(o.approver) });
        else if (cmd === 'approve') await api.call('watchlists.approve', { versionId: v.id });
        else await api.call('watchlists.reject', { versionId: v.id });
      });
      out(gl, { ok: true }, () => `${cmd === 'rollback' ? 'rolled back to' : cmd === 'approve' ? 'approved and published' : 'rejected'} version ${o.version} of ${o.list}`);
    });
}

program
  .command('approval')
  .description('require (on) or not (off) a second supervisor to approve new versions of a list')
  .requiredOption('--list <name>', 'list name')
  .argument('<state>', 'on or off')
  .option('--approver <name>', `${APPROVER_HELP}; needed to turn it off`)
  .action(async (state: string, o: { list: string; approver?: string }) => {
    const gl = g();
    if (state !== 'on' && state !== 'off') throw new CliError('say on or off');
    const approval = state === 'off' ? approvalArg(o.approver) : undefined;
    await asUser(gl, async (api) => api.call('watchlists.setApproval', { listId: (await listByName(api, o.list)).id, requireApproval: state === 'on', approval }));
    out(gl, { ok: true }, () => `four-eyes publishing for ${o.list}: ${state}`);
  });

/** A band threshold as typed on the command line: a 0..1 score, or "default" (null). */
function thresholdArg(flag: string, v: string | undefined): number | null | undefined {
  if (v === undefined) return undefined;
  if (v.trim().toLowerCase() === 'default') return null;
  if (!/^\s*(?:\d+(?:\.\d*)?|\.\d+)\s*$/.test(v)) throw new CliError(`${flag} takes a score from 0 to 1 (or "default")`);
  return Number(v);
}

/** A list's age and its basis: "12 days old (source dated 2026-11-24)", "3 days old (imported 2026-12-03); stale: limit 2 days". */
function ageText(l: ListView): string {
  if (l.ageDays === null || !l.ageSince) return '-';
  const basis = l.ageBasis === 'source' ? `source dated ${l.ageSince}` : `imported ${l.ageSince.slice(0, 10)}`;
  return `${l.ageDays} days old (${basis})${l.stale ? `; stale: limit ${l.staleAfterDays} days` : ''}`;
}

/** One line per setting of a list, "(default)" where the list has none of its own. */
function settingsText(l: ListView): string {
  const d = (own: unknown) => (own === null ? ' (default)' : '');
  return [
    `${l.name} (${l.kind})`,
    ...(['strong', 'review', 'weak'] as const).map((b) => `  ${b.padEnd(6)} >= ${l.thresholds[b].toFixed(2)}${d(l.overrides[b])}`),
    `  action: ${l.actionText}${d(l.overrides.actionText)}`,
    // The list's own stale limit, where it has one (else the checkpoint's: `watchdesk settings`).
    ...(l.overrides.staleDays === null ? [] : [`  stale after ${l.staleAfterDays} days`]),
  ].join('\n');
}

program
  .command('list-settings')
  .description("show or set a list's score bands (0..1) and action text (supervisor or admin; audited)")
  .requiredOption('--list <name>', 'list name')
  .option('--strong <score>', 'strong band from this score (0..1, or "default")')
  .option('--review <score>', 'review band from this score; hits at or above it must be decided')
  .option('--weak <score>', 'weak band from this score; lower scores are not hits')
  .option('--action <text>', 'action shown with a hit ("" for the default of the list kind)')
  .option('--stale-days <n>', 'days after which the list is stale ("default": the checkpoint\'s limit)')
  .option('--reset', 'every setting not given back to its default')
  .action(async (o: { list: string; strong?: string; review?: string; weak?: string; action?: string; staleDays?: string; reset?: boolean }) => {
    const gl = g();
    const given = { strong: thresholdArg('--strong', o.strong), review: thresholdArg('--review', o.review), weak: thresholdArg('--weak', o.weak) };
    const orDefault = <T>(v: T | undefined): T | null | undefined => (v === undefined && o.reset ? null : v);
    const thresholds = { strong: orDefault(given.strong), review: orDefault(given.review), weak: orDefault(given.weak) };
    const actionText = orDefault(o.action === undefined ? undefined : o.action.trim() || null);
    const staleDays = orDefault(o.staleDays === undefined ? undefined : o.staleDays.trim().toLowerCase() === 'default' ? null : Number(o.staleDays));
    const change = Object.values(thresholds).some((v) => v !== undefined) || actionText !== undefined || staleDays !== undefined;
    const l = await asUser(gl, async (api) => {
      const list = await listByName(api, o.list);
      return change ? api.call('watchlists.setSettings', { listId: list.id, thresholds, actionText, staleDays }) : list;
    });
    out(gl, l, () => settingsText(l));
  });

program
  .command('lists')
  .description("lists with kind, active version, entry count and age (from the file's own date, else the import)")
  .action(async () => {
    const gl = g();
    const lists = await asUser(gl, (api) => api.call('watchlists.list'));
    out(gl, lists, () =>
      lists.length
        ? lists.map((l) => `${l.name}\t${l.kind}\tv${l.activeVersion?.number ?? '-'}\t${l.activeVersion?.entryCount ?? 0} entries\t${ageText(l)}${l.retiredAt ? `\tretired ${l.retiredAt.slice(0, 10)} (not screened)` : ''}`).join('\n')
        : 'no lists',
    );
  });

program
  .command('entries')
  .description("the active version's entries, normalized")
  .requiredOption('--list <name>', 'list name')
  .action(async (o: { list: string }) => {
    const gl = g();
    const r = await asUser(gl, async (api) => {
      const list = (await api.call('watchlists.list')).find((l) => l.name.toLowerCase() === o.list.toLowerCase());
      if (!list) throw new CliError(`no list named ${o.list}`);
      return api.call('watchlists.entries', { listId: list.id, limit: 100000 });
    });
    out(gl, r.entries, () =>
      r.entries
        .map((e) => [e.entryId, e.names.map((n) => n.name).join(' | '), e.dateOfBirth ?? '', e.sex ?? '', e.nationalities.join(','), e.documents.map((d) => d.number).join(','), e.reference ?? ''].join('\t'))
        .join('\n'),
    );
  });

program
  .command('match')
  .description('screen one person: by name, document number, national ID or passport MRZ')
  .option('--name <name>', 'full name')
  .option('--mrz <lines...>', 'the machine-readable zone: its lines as separate arguments, or joined by newlines')
  .option('--dob <date>', 'date of birth')
  .option('--nationality <code>', 'nationality (ISO code or country name)')
  .addOption(new Option('--sex <sex>').choices(['M', 'F', 'X']))
  .option('--document <number>', 'document number')
  .option('--national-id <number>', 'national ID number')
  .option('--top <k>', 'hits to show', '10')
  .action(async (o: { name?: string; mrz?: string[]; dob?: string; nationality?: string; sex?: 'M' | 'F' | 'X'; document?: string; nationalId?: string; top: string }) => {
    const gl = g();
    const r = await asUser(gl, (api) =>
      api.call('screening.screen', {
        traveler: {
          fullName: o.name, mrz: o.mrz?.join('\n'), dateOfBirth: o.dob, nationality: o.nationality, sex: o.sex, documentNumber: o.document, nationalId: o.nationalId,
        },
        top: Number(o.top),
      }),
    );
    const mrzLines = (m: NonNullable<typeof r.mrz>): string[] => [
      `MRZ ${m.format}: ${m.surname}, ${m.givenNames}${m.nameCut ? ' (name may be cut)' : ''}; document ${m.documentNumber ?? '-'} (${m.issuer}); born ${m.dateOfBirth ?? '-'}; sex ${m.sex ?? '-'}; nationality ${m.nationality ?? '-'}; expires ${m.expiry ?? '-'}${m.nationalId ? `; national ID ${m.nationalId}` : ''}${m.valid ? '' : '; CHECK DIGITS FAILED'}`,
      ...m.warnings.map((w) => `MRZ warning: ${w.message}`),
    ];
    out(gl, { screeningId: r.screeningId, mrz: r.mrz, warnings: r.warnings, hits: r.hits.map(hitJson) }, () =>
      [
        `screening ${r.screeningId}`, ...(r.mrz ? mrzLines(r.mrz) : []), ...r.warnings.map((w) => `warning: ${w.message}`),
        r.hits.length ? `${r.hits.length} hit(s):` : 'no hits', ...r.hits.map((h, i) => `${hitLine(h, i)}\n     hit ${h.hitId}`),
      ].join('\n'),
    );
  });

program
  .command('screen <file>')
  .description('screen every traveler in a csv/xlsx manifest')
  .option('--top <k>', 'hits per traveler', '3')
  .option('--min-score <s>', 'lowest score to report (0..1)')
  .option('--out <file>', 'write the result here instead of standard output (an existing file is refused)')
  .option('--overwrite', 'replace the --out file if it exists')
  .action(async (file: string, o: { top: string; minScore?: string; out?: string; overwrite?: boolean }) => {
    const gl = g();
    if (o.out) assertWritable(o.out, o.overwrite);
    const r = await asUser(gl, (api) =>
      api.call('screening.batch', {
        fileName: basename(file), contentBase64: fileBase64(file), top: Number(o.top), minScore: o.minScore === undefined ? undefined : Number(o.minScore),
      }),
    );
    const json = { travelers: r.travelers, problems: r.problems, rows: r.rows.map((x) => ({ ...x, hits: x.hits.map(hitJson) })) };
    const mrzNote = (x: (typeof r.rows)[number]): string => (x.mrz ? ` [MRZ ${x.mrz.format}${x.mrz.valid ? '' : ', check digits failed'}${x.mrz.warnings.length ? `: ${x.mrz.warnings.map((w) => w.message).join('; ')}` : ''}]` : '');
    const text = (): string =>
      [
        ...r.problems.map((p) => `${p.severity} row ${p.row}${p.column ? ` column ${p.column}` : ''}: ${p.message}`),
        ...r.rows.map((x) => `row ${x.row}${x.id ? ` id ${x.id}` : ''}: ${x.name}${mrzNote(x)}\n${x.hits.map(hitLine).join('\n') || '  no hits'}`),
      ].join('\n');
    if (o.out) {
      writeFileSafe(o.out, gl.format === 'json' ? JSON.stringify(json) : text(), { overwrite: o.overwrite });
      process.stderr.write(`screened ${r.travelers} travelers; wrote ${o.out}\n`);
    } else out(gl, json, text);
  });

/** The format an export's --out names (.xlsx or .csv); throws CliError otherwise. */
function outFormat(file: string): 'xlsx' | 'csv' {
  const f = file.toLowerCase();
  if (f.endsWith('.csv')) return 'csv';
  if (f.endsWith('.xlsx')) return 'xlsx';
  throw new CliError('--out must end in .xlsx or .csv');
}

const langOption = () => new Option('--lang <lang>', 'language of the headers and words in the file').choices([...UI_LANGS]).default('en');

const exportCommand = program.command('export').description('export records (written by the engine with the safe file writer, then audited with the SHA-256)');

/** The options of `export crossings`: the filters of `crossings` (desk.ts) and the file. */
interface ExportCrossingsOptions {
  from?: string; to?: string; checkpoint?: string; officer?: string; direction?: string; outcome?: string;
  list?: string; band?: string; decision?: string; flagged?: boolean; name?: string; document?: string;
  lang: UiLang; out: string; overwrite?: boolean;
}

exportCommand
  .command('crossings')
  .description('export crossings and their hits to xlsx (a crossings sheet and a hits sheet) or csv (a row per hit), with the filters of "crossings"')
  .option('--from <day>', "first day (YYYY-MM-DD, the checkpoint's time zone)")
  .option('--to <day>', "last day (YYYY-MM-DD, the checkpoint's time zone)")
  .option('--checkpoint <name>', 'the checkpoint recorded on the crossing')
  .option('--officer <username>', 'the officer who recorded it')
  .option('--direction <direction>', 'entry or exit')
  .option('--outcome <outcome>', 'passed, refused, held or referred')
  .option('--list <list>', 'a hit on this list (name or id)')
  .option('--band <band>', 'a hit in this band (strong, review, weak)')
  .option('--decision <decision>', 'a hit with this decision (undecided, not-same, confirmed)')
  .option('--flagged', 'only crossings with a hit at or above review')
  .option('--name <name>', "the traveler's name (matched as the desk matches names; audited without the name)")
  .option('--document <number>', 'the passport number or national ID (audited without the number)')
  .addOption(langOption())
  .requiredOption('--out <file>', 'output file (.xlsx or .csv; an existing file is refused)')
  .option('--overwrite', 'replace the --out file if it exists')
  .action(async (o: ExportCrossingsOptions) => {
    const gl = g();
    const format = outFormat(o.out);
    // The filters read as `crossings` reads them (desk.ts); the page options do not apply to an export.
    const { sort: _s, order: _o, offset: _f, limit: _l, ...filter } = crossingsRequest({ fail: (m) => new CliError(m) }, { ...o, sort: 'time', order: 'desc', offset: '0', limit: '1' });
    // The engine writes the file (complete before it has its name), then audits it.
    const r = await asUser(gl, (api) => api.call('crossings.export', { ...filter, format, lang: o.lang }), { exportTo: exportTo(o.out, o.overwrite) });
    out(gl, { file: o.out, rows: r.rows, sha256: r.sha256 }, () => `wrote ${r.rows} crossings to ${o.out} (sha256 ${r.sha256})`);
  });

exportCommand
  .command('audit')
  .description('export the audit trail (every row in the range, in chain order) to xlsx or csv')
  .option('--from <day>', "first day (YYYY-MM-DD, the checkpoint's time zone)")
  .option('--to <day>', "last day (YYYY-MM-DD, the checkpoint's time zone)")
  .option('--action <action>', 'only this action (and its sub-actions: "export" takes export.crossings, export.audit ...)')
  .addOption(langOption())
  .requiredOption('--out <file>', 'output file (.xlsx or .csv; an existing file is refused)')
  .option('--overwrite', 'replace the --out file if it exists')
  .action(async (o: { from?: string; to?: string; action?: string; lang: UiLang; out: string; overwrite?: boolean }) => {
    const gl = g();
    const format = outFormat(o.out);
    const r = await asUser(gl, async (api) => {
      const { jobId } = await api.call('audit.exportStart', { format, lang: o.lang, from: o.from, to: o.to, action: o.action });
      while ((await api.call('exports.status', { jobId })).state === 'running') await new Promise((ok) => setTimeout(ok, 100));
      // The engine writes the file (complete before it has its name), then audits it; a failed export throws its reason.
      return api.call('exports.take', { jobId });
    }, { exportTo: exportTo(o.out, o.overwrite) });
    out(gl, { file: o.out, rows: r.rows, sha256: r.sha256 }, () => `wrote ${r.rows} audit rows to ${o.out} (sha256 ${r.sha256})`);
  });

registerAdminCommands(program, { g, out, asUser, engineFor, env, fail: (m) => new CliError(m) });
registerCentralCommands(program, { g, out, asUser, engineFor, env, fail: (m) => new CliError(m) });
// Issue 14: crossings, crossing, decide, record, clearance-approval (desk.ts).
registerDeskCommands(program, { g, out, asUser, engineFor, env, fail: (m) => new CliError(m) });
// Issue 13: rename-list, list-kind, retire-list, reactivate-list (lists.ts).
registerListCommands(program, { g, out, asUser, engineFor, env, fail: (m) => new CliError(m) });

try {
  await program.parseAsync(process.argv);
} catch (e) {
  const code = (e as { code?: string }).code;
  if (code === 'commander.helpDisplayed' || code === 'commander.version' || code === 'commander.help') process.exit(0);
  if (code?.startsWith('commander.')) process.exit(2);
  const msg = e instanceof ApiCallError || e instanceof CliError ? e.message : e instanceof Error ? e.message : String(e);
  process.stderr.write(`watchdesk: ${msg.split('\n')[0]}\n`);
  process.exit(1);
}
