/**
 * The desk job from the command line (issue 14, "the CLI drives the whole desk job"): browse the
 * desk's crossings (`crossings`, `crossing ID`), decide a hit (`decide`), record a crossing
 * (`record`), and the list setting that makes clearing a strong hit need a supervisor
 * (`clearance-approval`). Registered on the main program by `electron/cli/main.ts` (with the same
 * kit as admin.ts); they drive the same handler table and desk rules as the app:
 *
 *   watchdesk --user off.somchai --format json match --name "..."          -> screeningId, hits[].hitId
 *   watchdesk --user off.somchai decide --hit HIT --decision not-same|confirmed [--note N] [--approver SUP]
 *   watchdesk --user off.somchai record --screening SCREENING --direction entry --outcome passed|refused|held|referred
 *   watchdesk --user auditor.nok crossings --flagged --decision confirmed [--format json]
 */
import type { Command } from 'commander';
import type { ApiClient } from '../../shared/client';
import {
  CROSSING_SORTS, type ApiInput, type CrossingDetail, type CrossingSort, type CrossingView, type HitView,
} from '../../shared/contract';
import { BANDS, DIRECTIONS, type Decision, type Outcome } from '../../shared/domain';
import { localDateTime } from '../core/time';
import type { CliKit } from './admin';

/** Short words the desk job is typed with on the command line, and the contract's words they stand for. */
const DECISION_WORDS: Readonly<Record<string, Exclude<Decision, 'undecided'>>> = {
  'not-same': 'not-same-person', 'not-same-person': 'not-same-person', confirmed: 'confirmed',
};
const OUTCOME_WORDS: Readonly<Record<string, Outcome>> = {
  passed: 'passed', refused: 'refused-entry', 'refused-entry': 'refused-entry', held: 'held', referred: 'referred',
};
/** A filter may also ask for undecided hits. */
const FILTER_DECISION_WORDS: Readonly<Record<string, Decision>> = { ...DECISION_WORDS, undecided: 'undecided' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The contract's word for `v` typed after `flag` (case-insensitive), by `words`; undefined when
 * not given. Throws the kit's CliError naming the words accepted when it is none of them.
 */
export function wordArg<T extends string>(kit: Pick<CliKit, 'fail'>, flag: string, v: string | undefined, words: Readonly<Record<string, T>>, shown: readonly string[]): T | undefined {
  if (v === undefined) return undefined;
  const w = words[v.trim().toLowerCase()];
  if (w === undefined) throw kit.fail(`${flag} takes ${shown.length === 2 ? shown.join(' or ') : `one of ${shown.join(', ')}`}`);
  return w;
}

function oneOf<T extends string>(kit: Pick<CliKit, 'fail'>, flag: string, v: string | undefined, allowed: readonly T[]): T | undefined {
  // Keyed in lower case, as wordArg reads what was typed (`topScore` is typed as `topScore` or `topscore`).
  return wordArg(kit, flag, v, Object.fromEntries(allowed.map((a) => [a.toLowerCase(), a])) as Record<string, T>, allowed);
}

/** A whole number typed after `flag`, from `min` to `max`. */
function intArg(kit: Pick<CliKit, 'fail'>, flag: string, v: string, min: number, max: number): number {
  const n = /^\s*\d+\s*$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw kit.fail(`${flag} takes a whole number from ${min} to ${max.toLocaleString('en')}`);
  return n;
}

/** An id typed after `flag`: the UUID that `what` prints. */
function idArg(kit: Pick<CliKit, 'fail'>, flag: string, v: string, what: string): string {
  if (!UUID.test(v.trim())) throw kit.fail(`${flag} takes the id that ${what} prints (a UUID)`);
  return v.trim().toLowerCase();
}

/** The options of `crossings`, as typed. */
interface CrossingsOptions {
  from?: string; to?: string; checkpoint?: string; officer?: string; direction?: string; outcome?: string;
  list?: string; band?: string; decision?: string; flagged?: boolean; name?: string; document?: string;
  sort: string; order: string; offset: string; limit: string;
}

/** The `crossings.list` request of the options; throws CliError for a word or number the command does not take (the API checks days and lengths). */
export function crossingsRequest(kit: Pick<CliKit, 'fail'>, o: CrossingsOptions): ApiInput<'crossings.list'> {
  return {
    from: o.from, to: o.to, checkpoint: o.checkpoint, officer: o.officer, list: o.list, name: o.name, document: o.document,
    flaggedOnly: Boolean(o.flagged),
    direction: oneOf(kit, '--direction', o.direction, DIRECTIONS),
    outcome: wordArg(kit, '--outcome', o.outcome, OUTCOME_WORDS, ['passed', 'refused', 'held', 'referred']),
    band: oneOf(kit, '--band', o.band, BANDS),
    decision: wordArg(kit, '--decision', o.decision, FILTER_DECISION_WORDS, ['undecided', 'not-same', 'confirmed']),
    sort: oneOf<CrossingSort>(kit, '--sort', o.sort, CROSSING_SORTS),
    order: oneOf(kit, '--order', o.order, ['asc', 'desc'] as const),
    offset: intArg(kit, '--offset', o.offset, 0, 10_000_000),
    limit: intArg(kit, '--limit', o.limit, 1, 1000),
  };
}

/** Columns a terminal gives `s`: combining marks (Thai vowels and tone marks above and below) take none, East Asian wide characters two. */
function width(s: string): number {
  let n = 0;
  for (const ch of s.replace(/[\p{Mn}\p{Me}\u200b-\u200d]/gu, '')) n += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{20000}-\u{3fffd}]/u.test(ch) ? 2 : 1;
  return n;
}

/** Rows of cells as columns padded to their widest cell, two spaces apart. */
function table(rows: string[][]): string[] {
  const w: number[] = [];
  for (const r of rows) r.forEach((c, i) => (w[i] = Math.max(w[i] ?? 0, width(c))));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat(w[i]! - width(c)))).join('  ').trimEnd());
}

const decisionWord = (d: Decision): string => (d === 'not-same-person' ? 'not-same' : d);

/** One hit of a crossing as a line: list, listed name and reference, score, band, decision, who and when. */
function crossingHitLine(h: CrossingView['hits'][number], timeZone: string): string {
  const who = h.decidedBy ? ` by ${h.decidedBy}${h.decidedAt ? ` ${localDateTime(h.decidedAt, timeZone).slice(0, 16)}` : ''}` : '';
  const corrected = h.correction ? ` (corrected by ${h.correction.correctedBy}; first ${decisionWord(h.correction.original.decision)})` : '';
  return `${h.list}: ${h.listedName}${h.reference ? ` [${h.reference}]` : ''}  ${h.score.toFixed(2)} ${h.band}  ${decisionWord(h.decision)}${who}${corrected}`;
}

/**
 * A page of the desk's crossings as a table: the local time at the crossing's checkpoint (its
 * zone named in the header), direction, outcome, officer, traveler, FLAGGED, the crossing's id;
 * each hit below its crossing with the listed name, reference, score, band and decision.
 */
export function crossingsTable(r: { total: number; offset: number; crossings: CrossingView[] }): string {
  if (r.total === 0) return 'no crossings';
  if (!r.crossings.length) return `none of ${r.total.toLocaleString('en')} crossing(s) at offset ${r.offset.toLocaleString('en')}`;
  const zones = [...new Set(r.crossings.map((c) => c.timeZone))];
  const head = `${(r.offset + 1).toLocaleString('en')}-${(r.offset + r.crossings.length).toLocaleString('en')} of ${r.total.toLocaleString('en')} crossing(s); times in ${zones.join(', ')}`;
  const rows: string[][] = [['time', 'direction', 'outcome', 'officer', 'traveler', 'flagged', 'hits', 'crossing']];
  const hitLines = new Map<number, string[]>();
  for (const c of r.crossings) {
    const traveler = c.purged ? '(purged)' : c.travelerName || '-';
    const match = c.match == null ? '' : ` (${c.match.toFixed(2)})`;
    rows.push([localDateTime(c.occurredAt, c.timeZone).slice(0, 16), c.direction, c.outcome, c.officer, `${traveler}${match}`, c.flagged ? 'FLAGGED' : '', String(c.hits.length), c.id]);
    if (c.hits.length) hitLines.set(rows.length - 1, c.hits.map((h) => `    ${crossingHitLine(h, c.timeZone)}`));
  }
  const lines = table(rows);
  return [head, ...lines.flatMap((l, i) => [l, ...(hitLines.get(i) ?? [])])].join('\n');
}

/** A stored hit as `decide` and `crossing` print it. */
function hitText(h: HitView, timeZone: string | null): string {
  const at = (iso: string) => (timeZone ? `${localDateTime(iso, timeZone).slice(0, 16)} (${timeZone})` : iso);
  return [
    `hit ${h.hitId ?? '-'}: ${h.list} (${h.listKind}) ${h.entry.names[0]?.name ?? h.explanation.matchedName}${h.entry.reference ? ` [${h.entry.reference}]` : ''}, entry ${h.entryId} (row ${h.sourceRow})`,
    `  score ${h.score.toFixed(3)}, band ${h.band}: ${h.explanation.summary}`,
    `  decision: ${decisionWord(h.decision)}${h.decidedBy ? ` by ${h.decidedBy}` : ''}${h.decidedAt ? ` at ${at(h.decidedAt)}` : ''}${h.approvedBy ? `, approved by ${h.approvedBy}` : ''}`,
    ...(h.note ? [`  note: ${h.note}`] : []),
    ...(h.correction ? [`  corrected by ${h.correction.correctedBy} at ${at(h.correction.correctedAt)}: ${h.correction.reason} (first ${decisionWord(h.correction.original.decision)})`] : []),
  ].join('\n');
}

/** One crossing with everything about it (crossings.get), as text. */
export function crossingDetailText(c: CrossingDetail): string {
  const t = c.traveler;
  const facts = [
    t.dateOfBirth ? `born ${t.dateOfBirth}` : '', t.sex ? `sex ${t.sex}` : '', t.nationality ? `nationality ${t.nationality}` : '',
    t.documentNumber ? `document ${t.documentNumber}${t.documentIssuer ? ` (${t.documentIssuer})` : ''}` : '', t.nationalId ? `national ID ${t.nationalId}` : '',
  ].filter(Boolean).join('; ');
  return [
    `crossing ${c.id}: ${c.direction}, ${c.outcome}${c.flagged ? ', FLAGGED' : ''}`,
    `  at ${localDateTime(c.occurredAt, c.timeZone)} (${c.timeZone}), ${c.checkpoint}, officer ${c.officer}`,
    `  traveler: ${c.purged ? '(purged)' : c.travelerName || '-'}${facts ? `; ${facts}` : ''}`,
    ...(c.note ? [`  note: ${c.note}`] : []),
    `  screening ${c.screeningId} at ${localDateTime(c.screenedAt, c.timeZone)}; lists: ${c.listVersions.map((v) => `${v.list} v${v.number}`).join(', ') || '-'}`,
    c.hits.length ? `${c.hits.length} hit(s):` : 'no hits',
    ...c.hits.map((h) => hitText(h, c.timeZone)),
  ].join('\n');
}

/** The JSON of a decided hit (as `match --format json` prints hits, with the decision). */
function decidedJson(h: HitView) {
  return {
    hitId: h.hitId, list: h.list, listId: h.listId, entryId: h.entryId, sourceRow: h.sourceRow, score: h.score, band: h.band,
    name: h.explanation.matchedName, listedName: h.entry.names[0]?.name ?? null, reference: h.entry.reference ?? null,
    decision: h.decision, note: h.note, decidedBy: h.decidedBy ?? null, decidedAt: h.decidedAt ?? null, approvedBy: h.approvedBy ?? null,
  };
}

/** The second supervisor of `--approver`, their password from WATCHDESK_APPROVER_PASSWORD (never the command line). */
function approvalOf(kit: CliKit, approver: string | undefined): { username: string; password: string } | undefined {
  return approver === undefined ? undefined : { username: approver, password: kit.env('WATCHDESK_APPROVER_PASSWORD') };
}

async function listIdByName(kit: CliKit, api: ApiClient, name: string): Promise<string> {
  const l = (await api.call('watchlists.list')).find((x) => x.name.toLowerCase() === name.toLowerCase());
  if (!l) throw kit.fail(`no list named ${name}`);
  return l.id;
}

/** Adds the desk job's commands (crossings, crossing, decide, record, clearance-approval) to `program`. */
export function registerDeskCommands(program: Command, kit: CliKit): void {
  const { g, out, asUser } = kit;

  program
    .command('crossings')
    .description("the desk's crossings that match, newest first, with their hits (an officer sees those they recorded and the last 24 hours at this checkpoint); a search by name or document is audited")
    .option('--from <day>', "first day (YYYY-MM-DD, the checkpoint's local day)")
    .option('--to <day>', "last day (YYYY-MM-DD, the checkpoint's local day)")
    .option('--checkpoint <name>', 'only this checkpoint')
    .option('--officer <username>', "only this officer's")
    .option('--direction <d>', `only ${DIRECTIONS.join(' or ')}`)
    .option('--outcome <o>', 'only this outcome: passed, refused, held, referred')
    .option('--list <name>', 'only crossings with a hit on this list (name or id)')
    .option('--band <b>', `only crossings with a hit of this band: ${BANDS.join(', ')}`)
    .option('--decision <d>', 'only crossings with a hit whose latest decision is: undecided, not-same, confirmed')
    .option('--flagged', 'only crossings with a hit at or above review')
    .option('--name <name>', "the traveler's name (found across scripts, romanizations, name order and typos; best match first)")
    .option('--document <number>', 'the passport or national ID number (spaces and dashes ignored)')
    .option('--sort <column>', `sort by ${CROSSING_SORTS.join(', ')} (with --name, time newest first means best match first)`, 'time')
    .option('--order <order>', 'asc or desc', 'desc')
    .option('--offset <n>', 'crossings to skip', '0')
    .option('--limit <n>', 'crossings to show (at most 1000)', '50')
    .action(async (o: CrossingsOptions) => {
      const gl = g();
      const req = crossingsRequest(kit, o);
      // With --name and the default sort (time, newest first) the engine ranks best match first.
      const r = await asUser(gl, (api) => api.call('crossings.list', req));
      out(gl, r, () => crossingsTable(r));
    });

  program
    .command('crossing <id>')
    .description("one crossing with everything about it: the traveler, every hit with its listed name, reference, explanation and decision, the note, the list versions used (audited: who looked at this person)")
    .action(async (id: string) => {
      const gl = g();
      const cid = idArg(kit, 'crossing', id, 'watchdesk crossings');
      const c = await asUser(gl, (api) => api.call('crossings.get', { id: cid }));
      out(gl, c, () => crossingDetailText(c));
    });

  program
    .command('decide')
    .description('decide a hit of a screening (an officer): not the same person, or confirmed; clearing a strong hit on a list with clearance approval needs --approver')
    .requiredOption('--hit <id>', 'the hit id (`match --format json` prints hits[].hitId)')
    .requiredOption('--decision <d>', 'not-same or confirmed')
    .option('--note <text>', 'why (kept with the decision)')
    .option('--approver <name>', 'a supervisor who approves clearing a strong hit (their password in WATCHDESK_APPROVER_PASSWORD)')
    .action(async (o: { hit: string; decision: string; note?: string; approver?: string }) => {
      const gl = g();
      const decision = wordArg(kit, '--decision', o.decision, DECISION_WORDS, ['not-same', 'confirmed'])!;
      const hitId = idArg(kit, '--hit', o.hit, 'watchdesk match');
      const approval = approvalOf(kit, o.approver);
      const { h, timeZone } = await asUser(gl, async (api) => ({
        h: await api.call('screening.decide', { hitId, decision, note: o.note, approval }),
        timeZone: (await api.call('app.status')).timeZone,
      }));
      out(gl, decidedJson(h), () => hitText(h, timeZone));
    });

  program
    .command('record')
    .description("record the crossing of a screened traveler (an officer); refused while a hit at or above review is undecided, and for a confirmed hit on a wanted list that would pass")
    .requiredOption('--screening <id>', 'the screening id (`match --format json` prints screeningId)')
    .requiredOption('--direction <d>', 'entry or exit')
    .requiredOption('--outcome <o>', 'passed, refused, held or referred')
    .option('--note <text>', "the crossing's note")
    .action(async (o: { screening: string; direction: string; outcome: string; note?: string }) => {
      const gl = g();
      const direction = oneOf(kit, '--direction', o.direction, DIRECTIONS)!;
      const outcome = wordArg(kit, '--outcome', o.outcome, OUTCOME_WORDS, ['passed', 'refused', 'held', 'referred'])!;
      const screeningId = idArg(kit, '--screening', o.screening, 'watchdesk match');
      const c = await asUser(gl, (api) => api.call('crossings.record', { screeningId, direction, outcome, note: o.note }));
      out(gl, c, () => `recorded crossing ${c.id}\n${crossingsTable({ total: 1, offset: 0, crossings: [c] }).split('\n').slice(1).join('\n')}`);
    });

  program
    .command('clearance-approval')
    .description("require (on) or not (off) a supervisor's approval at the desk to clear a strong hit on a list (a supervisor)")
    .requiredOption('--list <name>', 'list name')
    .argument('<state>', 'on or off')
    .option('--approver <name>', 'a second supervisor who approves turning it off (their password in WATCHDESK_APPROVER_PASSWORD)')
    .action(async (state: string, o: { list: string; approver?: string }) => {
      const gl = g();
      if (state !== 'on' && state !== 'off') throw kit.fail('say on or off');
      const approval = state === 'off' ? approvalOf(kit, o.approver) : undefined;
      await asUser(gl, async (api) => api.call('watchlists.setClearanceApproval', { listId: await listIdByName(kit, api, o.list), required: state === 'on', approval }));
      out(gl, { ok: true }, () => `supervisor's approval to clear a strong hit on ${o.list}: ${state}`);
    });
}
