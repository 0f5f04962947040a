/**
 * The crossings browser's benchmark (`npm run bench -- crossings`, issue 14): an encrypted desk
 * database holding 1,000,000 recorded crossings with their screenings and hits, then, through the
 * engine's handler table as a signed-in supervisor (the real API path: validation, session, role
 * matrix, audit):
 *
 *   filter   ~50 filter changes of the browser (`crossings.list`): date ranges in the checkpoint's
 *            zone, officer, direction, outcome, list + band + decision, flagged, each sort, first
 *            pages and deep pages. Median and p95 ms. Goal: p95 <= 200 ms.
 *   search   ~50 searches by traveler name (`crossings.list` with `name`): the name as stored,
 *            another romanization, Thai script for a name stored romanized (and the reverse),
 *            name order swapped, one-letter typos, names nobody has; and ~20 by document number
 *            (as stored, lower case with dashes and spaces, national IDs). Median and p95 ms.
 *            Goal: p95 <= 200 ms.
 *   export   `crossings.export` of every crossing and of the flagged ones, csv and xlsx, written
 *            to a file as `watchdesk export crossings --out` does: wall time, rows, size, and the
 *            peak RSS of the process (its worker threads included; the export's worker is a
 *            thread), sampled every 50 ms and from getrusage. Goals: csv <= 30 s, xlsx <= 120 s.
 *
 * The data (made up; names from synth.ts, the Thai ones from ../shared/data/names): four lists
 * imported through the API (warrants, a deny-entry list, missing persons, a monitor list; 2,000
 * entries each), 12 officers, crossings spread over the year up to now at the desk's checkpoint,
 * both directions, every outcome; 10% of the travelers have hits (1 or 2; bands weak, review,
 * strong), every hit at or above review decided (confirmed or not the same person) as the desk
 * rule requires, the outcome following the decision and the list's kind. Travelers: Thai (in Thai
 * script from an ID card with its national ID, or romanized from a passport's MRZ), Chinese,
 * Vietnamese, Khmer, Lao, Myanmar and Western names, as passports give them.
 *
 * Seeding writes rows with prepared INSERTs, one transaction per 50,000 crossings, into a database
 * the engine set up (its migrations, whose triggers add the browser's fields as they do for
 * recordCrossing); the search keys are computed and stored by the engine's own
 * crossings/search-keys.ts (crossingSearchKeys, storeCrossingSearchKeys), as recordCrossing does.
 * No audit rows are written for the seeded crossings (the trail is not what is measured).
 *
 * Each step runs in its own child process, so that its peak memory is its own. Size:
 * `npm run bench -- crossings crossings=100000` (or WATCHDESK_BENCH_CROSSINGS) for a quicker run.
 * Prints tables; quote medians and ratios (shared machines are noisy).
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createClient, type ApiClient } from '../../shared/client';
import type { ApiInput, Traveler } from '../../shared/contract';
import { DEFAULT_ACTIONS, DEFAULT_THRESHOLDS, type Band, type Decision, type ListKind, type Outcome } from '../../shared/domain';
import { Engine, type EngineOptions } from '../../electron/core/api/engine';
import { crossingSearchKeys, storeCrossingSearchKeys } from '../../electron/core/crossings/search-keys';
import { answerParent } from './child';
import { rng } from './names';
import { synthesize, type SynthPerson } from './synth';

const ADMIN = { username: 'admin', password: 'bench desk password 1' };
const SUPERVISOR = { username: 'sup.malee', password: 'bench supervisor password 1' };
const PASSPHRASE = 'bench recovery passphrase';
const CHECKPOINT = 'Mae Sai';
const TIME_ZONE = 'Asia/Bangkok';
const OFFICERS = 12;
const ENTRIES_PER_LIST = 2_000;
const BATCH = 50_000;
const HIT_SHARE = 0.1;
const LISTS: { name: string; kind: ListKind; seed: number; ref: (i: number) => string }[] = [
  { name: 'Police warrants', kind: 'wanted', seed: 101, ref: (i) => `จ.${1000 + i}/2567` },
  { name: 'Immigration blacklist', kind: 'deny-entry', seed: 102, ref: (i) => `IMM-BL-${String(i).padStart(5, '0')}` },
  { name: 'Missing persons', kind: 'at-risk', seed: 103, ref: (i) => `MP-2567-${i}` },
  { name: 'Intelligence watch', kind: 'monitor', seed: 104, ref: (i) => `W/${i}` },
];

interface Context {
  dir: string;
  dbPath: string;
  crossings: number;
}

/** A seeded traveler kept for the search step, with the forms a search may be typed in. */
interface Probe {
  crossingId: string;
  culture: string;
  stored: string;
  latin: string;
  script: string | null;
  reversed: string;
  otherRomanization: string | null;
  typo: string;
  document: string | null;
  nationalId: string | null;
}

function arg(name: string, dflt: number): number {
  const a = process.argv.find((x) => x.startsWith(`${name}=`));
  return a ? Number(a.slice(name.length + 1)) : dflt;
}

function stats(xs: number[]): { median: number; p95: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)] ?? NaN, p95: s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)] ?? NaN, max: s[s.length - 1] ?? NaN };
}

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
const peakMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

/** The name as a passport's MRZ gives it, in Latin letters, and the name in its own script where the person has one. */
function forms(p: SynthPerson): { latin: string; script: string | null } {
  // synth.ts: Thai and Chinese persons have their own script first and the romanization second; the others the reverse.
  if (p.culture === 'thai' || p.culture === 'chinese') return { latin: p.names[1]!, script: p.names[0]! };
  return { latin: p.names[0]!, script: p.names[1] && /[^\p{Script=Latin}\s'’.-]/u.test(p.names[1]) ? p.names[1] : null };
}

/**
 * Another common romanization of a romanized (RTGS) Thai name, as people and older passports
 * spell it: ph -> p, th -> t, kh -> k, ch -> j, oe -> er, ue -> u, a final u -> oo; null when no
 * rule applies.
 */
function otherRomanization(latin: string): string | null {
  const rules: [RegExp, string][] = [[/ph/gi, 'p'], [/th/gi, 't'], [/kh/gi, 'k'], [/ch/gi, 'j'], [/oe/gi, 'er'], [/ue/gi, 'u'], [/u\b/gi, 'oo']];
  let out = latin;
  for (const [re, to] of rules) out = out.replace(re, (m) => (m[0] === m[0]!.toUpperCase() ? to[0]!.toUpperCase() + to.slice(1) : to));
  return out.toLowerCase() === latin.toLowerCase() ? null : out;
}

/** One letter changed, dropped or swapped with the next, in the longest word (never its first letter). */
function typo(name: string, r: () => number): string {
  const words = name.split(' ');
  const wi = words.reduce((best, w, i) => (w.length > words[best]!.length ? i : best), 0);
  const w = words[wi]!;
  if (w.length < 4) return name;
  const at = 1 + Math.floor(r() * (w.length - 2));
  const kind = Math.floor(r() * 3);
  const letters = 'aeioubdgklmnprst';
  const changed = kind === 0 ? w.slice(0, at) + letters[Math.floor(r() * letters.length)] + w.slice(at + 1)
    : kind === 1 ? w.slice(0, at) + w.slice(at + 1)
      : w.slice(0, at) + w[at + 1] + w[at] + w.slice(at + 2);
  words[wi] = changed;
  return words.join(' ');
}

/** A made-up Thai citizen number (13 digits with its check digit). */
function thaiId(r: () => number): string {
  const d = Array.from({ length: 12 }, (_, i) => (i === 0 ? 1 + Math.floor(r() * 8) : Math.floor(r() * 10)));
  const sum = d.reduce((s, x, i) => s + x * (13 - i), 0);
  return [...d, (11 - (sum % 11)) % 10].join('');
}

/** A list's CSV as an agency would send it: id, name, name in its own script, date of birth, sex, nationality, passport, reference, offence. */
function listCsv(list: (typeof LISTS)[number]): string {
  const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
  const lines = ['ID,Name,Native name,Date of birth,Sex,Nationality,Passport,Warrant no,Offence'];
  let i = 0;
  for (const p of synthesize(ENTRIES_PER_LIST, list.seed)) {
    const f = forms(p);
    lines.push([`${list.seed}-${i}`, q(f.latin), q(f.script ?? ''), p.dateOfBirth, p.sex, p.nationality, p.document, q(list.ref(i)), 'made up for the benchmark'].join(','));
    i++;
  }
  return lines.join('\n');
}

/** The traveler as the desk stores it (screening.ts travelerQuery: the normalized fields as typed or read from the MRZ). */
function travelerOf(p: SynthPerson, r: () => number): { t: Traveler; stored: string; latin: string; script: string | null } {
  const f = forms(p);
  const base = { dateOfBirth: p.dateOfBirth, sex: p.sex, nationality: p.nationality } as const;
  // A Thai citizen crossing with the ID card (border pass): the name typed in Thai script, the national ID.
  if (p.culture === 'thai' && r() < 0.35) return { t: { ...base, fullName: f.script!, nationalId: thaiId(r) }, stored: f.script!, latin: f.latin, script: f.script };
  const words = f.latin.toUpperCase().split(' ');
  // Read from the passport's MRZ (surname and given names) or typed from the data page.
  if (r() < 0.6 && words.length > 1) {
    const t: Traveler = { ...base, surname: words[words.length - 1]!, givenNames: words.slice(0, -1).join(' '), documentNumber: p.document, documentIssuer: p.nationality };
    return { t, stored: `${t.givenNames} ${t.surname}`, latin: f.latin, script: f.script };
  }
  return { t: { ...base, fullName: f.latin, documentNumber: p.document, documentIssuer: p.nationality }, stored: f.latin, latin: f.latin, script: f.script };
}

interface ListedEntry { id: string; listId: string; kind: ListKind; person: SynthPerson }

/** An explanation as the matcher writes it (contract Explanation), for a hit on `name` scoring `score`. */
function explanation(query: string, matched: string, score: number, dobAgrees: boolean): string {
  const q = query.toLowerCase().split(/\s+/);
  const e = matched.toLowerCase().split(/\s+/);
  return JSON.stringify({
    summary: `name ${score.toFixed(2)}: ${e.join(', ')}${dobAgrees ? '; same date of birth (+0.00)' : '; different date of birth (-0.08)'}`,
    matchedName: matched, nameScore: Math.min(1, score + 0.04),
    tokens: q.map((t, i) => ({ query: t, entry: e[i] ?? t, kind: t === e[i] ? 'exact' : 'phonetic', similarity: t === e[i] ? 1 : 0.9 })),
    unmatchedQuery: [], unmatchedEntry: [],
    fields: [{
      field: 'dateOfBirth', status: dobAgrees ? 'agree' : 'disagree', effect: dobAgrees ? 0 : -0.08,
      detail: dobAgrees ? 'same date of birth' : 'different date of birth', reason: dobAgrees ? 'explain.dobSame' : 'explain.dobDifferent', params: {},
    }],
  });
}

/** Step seed: the desk set up through the API, then the crossings written with prepared INSERTs. */
async function seedStep(ctx: Context) {
  const engine = new Engine({ dbPath: ctx.dbPath, log: (l) => process.stderr.write(`${l}\n`) });
  const api = createClient((r) => engine.handle(r));
  await api.call('app.setup', { adminUsername: ADMIN.username, password: ADMIN.password, recoveryPassphrase: PASSPHRASE, checkpointName: CHECKPOINT, timeZone: TIME_ZONE });
  await api.call('users.create', { ...SUPERVISOR, roles: ['supervisor', 'auditor'] });
  const officers: string[] = [];
  for (let i = 0; i < OFFICERS; i++) officers.push((await api.call('users.create', { username: `off.${String(i + 1).padStart(2, '0')}`, password: `officer password ${i}`, roles: ['officer'] })).id);
  for (const l of LISTS) {
    const r = await api.call('watchlists.import', { listName: l.name, kind: l.kind, fileName: `${l.kind}.csv`, contentBase64: Buffer.from(listCsv(l)).toString('base64') });
    if (!r.published) throw new Error(`the list ${l.name} was not published`);
  }
  const db = engine.requireDb();
  // The listed persons, with the entries the importer made (rows in file order).
  const entries: ListedEntry[] = [];
  const versionIds: string[] = [];
  for (const l of LISTS) {
    const v = db.prepare('SELECT w.id AS list_id, w.active_version_id AS version_id FROM watchlists w WHERE w.name = ?').get(l.name) as { list_id: string; version_id: string };
    versionIds.push(v.version_id);
    const rows = db.prepare('SELECT id, external_id FROM entries WHERE version_id = ?').all(v.version_id) as { id: string; external_id: string }[];
    const byExternal = new Map(rows.map((x) => [x.external_id, x.id]));
    let i = 0;
    for (const p of synthesize(ENTRIES_PER_LIST, l.seed)) {
      const id = byExternal.get(`${l.seed}-${i++}`);
      if (id) entries.push({ id, listId: v.list_id, kind: l.kind, person: p });
    }
  }
  const listVersions = JSON.stringify(versionIds);

  db.pragma('cache_size = -1048576'); // 1 GiB while seeding: the indexes take random inserts
  const insScreening = db.prepare('INSERT INTO screenings (id, screened_at, officer_id, traveler, list_versions, crossing_id) VALUES (?,?,?,?,?,?)');
  // As screenTraveler and recordCrossing write them; migration 0010's triggers add the browser's
  // fields (the hit's list, the crossing's seq, top score and band), search-keys.ts the search keys.
  const insHit = db.prepare(`INSERT INTO hits (id, screening_id, entry_id, score, band, explanation, action, decision, note, decided_by, decided_at)
    VALUES (?,?,?,?,?,?,?,?,?,?,?)`);
  const insCrossing = db.prepare(`INSERT INTO crossings (id, screening_id, occurred_at, time_zone, checkpoint, direction, outcome, officer_id, flagged, note)
    VALUES (?,?,?,?,?,?,?,?,?,?)`);
  const seqOf = db.prepare('SELECT seq FROM crossings WHERE id = ?').pluck();

  const r = rng(20261207);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const end = Date.now() - 60_000;
  const start = end - 365 * 24 * 3600_000;
  const step = (end - start) / ctx.crossings;
  const probeAt = new Set<number>();
  while (probeAt.size < Math.min(80, ctx.crossings)) probeAt.add(Math.floor(r() * ctx.crossings));
  const probes: Probe[] = [];
  const travelers = synthesize(ctx.crossings, 4242);
  let hits = 0;
  let flagged = 0;
  const outcomes: Record<Outcome, number> = { passed: 0, 'refused-entry': 0, held: 0, referred: 0 };
  let keysMs = 0;
  const t0 = performance.now();

  const one = (i: number) => {
    const at = start + i * step + r() * step;
    const occurredAt = new Date(at).toISOString();
    const officer = pick(officers);
    const direction = r() < 0.5 ? 'entry' : 'exit';
    const sid = randomUUID();
    const cid = randomUUID();
    // A traveler with hits resembles a listed person (their own name, or a look-alike); the others are anybody.
    const hitCount = r() < HIT_SHARE ? (r() < 0.8 ? 1 : 2) : 0;
    const bands: Band[] = Array.from({ length: hitCount }, () => ((u) => (u < 0.55 ? 'weak' : u < 0.85 ? 'review' : 'strong'))(r()));
    const listed = hitCount ? pick(entries) : null;
    const passerby = travelers.next().value as SynthPerson;
    // A strong or review hit: the listed person, or someone of the same name; a weak one: a look-alike (the listed surname).
    const person = !listed ? passerby
      : bands[0] !== 'weak' ? { ...passerby, names: listed.person.names, culture: listed.person.culture, given: listed.person.given, surname: listed.person.surname, dateOfBirth: r() < 0.5 ? listed.person.dateOfBirth : passerby.dateOfBirth }
        : passerby.culture === listed.person.culture && passerby.names.length === listed.person.names.length
          ? { ...passerby, names: passerby.names.map((n, k) => `${n.split(' ')[0]} ${listed.person.names[k]!.split(' ').slice(1).join(' ')}`.trim()) }
          : passerby;
    const tv = travelerOf(person, r);
    const hitRows: { entry: ListedEntry; score: number; band: Band; decision: Decision }[] = [];
    for (let h = 0; h < hitCount; h++) {
      const entry = h === 0 ? listed! : pick(entries);
      const band = bands[h]!;
      const lo = band === 'strong' ? DEFAULT_THRESHOLDS.strong : band === 'review' ? DEFAULT_THRESHOLDS.review : DEFAULT_THRESHOLDS.weak;
      const hi = band === 'strong' ? 1 : band === 'review' ? DEFAULT_THRESHOLDS.strong : DEFAULT_THRESHOLDS.review;
      const score = Math.round((lo + r() * (hi - lo - 0.001)) * 1000) / 1000;
      // The desk rule: every hit at or above review is decided before the crossing is recorded.
      const decision: Decision = band === 'weak' ? (r() < 0.1 ? 'not-same-person' : 'undecided')
        : r() < (band === 'strong' ? 0.35 : 0.05) ? 'confirmed' : 'not-same-person';
      hitRows.push({ entry, score, band, decision });
    }
    hitRows.sort((a, b) => b.score - a.score);
    const confirmed = hitRows.find((h) => h.decision === 'confirmed');
    const outcome: Outcome = confirmed
      ? confirmed.entry.kind === 'wanted' ? (r() < 0.7 ? 'held' : 'referred')
        : confirmed.entry.kind === 'deny-entry' ? 'refused-entry'
          : confirmed.entry.kind === 'at-risk' ? 'referred' : (r() < 0.8 ? 'passed' : 'referred')
      : ((u) => (u < 0.97 ? 'passed' : u < 0.985 ? 'refused-entry' : u < 0.995 ? 'referred' : 'held'))(r());
    const isFlagged = hitRows.some((h) => h.band !== 'weak');
    const note = isFlagged ? (r() < 0.5 ? pick(['checked with the duty officer', 'different date of birth on the passport', 'handed to the police', 'sent to secondary interview']) : null)
      : r() < 0.02 ? pick(['visa expired', 'no onward ticket', 'documents damaged']) : null;
    const screenedAt = new Date(at - 30_000 - r() * 90_000).toISOString();
    insScreening.run(sid, screenedAt, officer, JSON.stringify(tv.t), listVersions, cid);
    for (const h of hitRows) {
      const matched = forms(h.entry.person).latin.toUpperCase();
      insHit.run(randomUUID(), sid, h.entry.id, h.score, h.band, explanation(tv.latin, matched, h.score, h.entry.person.dateOfBirth === person.dateOfBirth),
        DEFAULT_ACTIONS[h.entry.kind], h.decision, h.decision === 'undecided' ? null : h.decision === 'confirmed' ? 'same person: date of birth and photo' : 'different date of birth',
        h.decision === 'undecided' ? null : officer, h.decision === 'undecided' ? null : new Date(at - 10_000).toISOString());
    }
    insCrossing.run(cid, sid, occurredAt, TIME_ZONE, CHECKPOINT, direction, outcome, officer, isFlagged ? 1 : 0, note);
    const k0 = performance.now();
    const keys = crossingSearchKeys(tv.t);
    keysMs += performance.now() - k0;
    storeCrossingSearchKeys(db, cid, seqOf.get(cid) as number, keys);
    hits += hitRows.length;
    if (isFlagged) flagged++;
    outcomes[outcome]++;
    if (probeAt.has(i)) {
      const words = tv.latin.split(' ');
      probes.push({
        crossingId: cid, culture: person.culture, stored: tv.stored, latin: tv.latin, script: tv.script,
        reversed: [words[words.length - 1]!, ...words.slice(0, -1)].join(' '), otherRomanization: person.culture === 'thai' ? otherRomanization(tv.latin) : null,
        typo: typo(tv.latin, r), document: tv.t.documentNumber ?? null, nationalId: tv.t.nationalId ?? null,
      });
    }
  };
  for (let from = 0; from < ctx.crossings; from += BATCH) {
    db.transaction(() => {
      for (let i = from; i < Math.min(ctx.crossings, from + BATCH); i++) one(i);
    })();
    process.stderr.write(`crossings: seeded ${Math.min(ctx.crossings, from + BATCH).toLocaleString('en')} in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
  }
  const seedS = (performance.now() - t0) / 1000;
  db.pragma('wal_checkpoint(TRUNCATE)');
  const nameKeyRows = (db.prepare('SELECT count(*) AS n FROM crossing_name_keys').get() as { n: number }).n;
  engine.close();
  writeFileSync(join(ctx.dir, 'probes.json'), JSON.stringify(probes));
  return {
    crossings: ctx.crossings, hits, flagged, outcomes, nameKeyRows, seedS, keysS: keysMs / 1000,
    dbMb: mb(statSync(ctx.dbPath).size), peakRssMb: peakMb(),
  };
}

/** The local day `days` before today in the checkpoint's zone (YYYY-MM-DD). */
function dayBefore(days: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE }).format(new Date(Date.now() - days * 24 * 3600_000));
}

type ListRequest = ApiInput<'crossings.list'>;

/** The ~50 filter changes of the filter step: what a supervisor or an auditor clicks through (limit 100, as a page of the browser). */
function filterRequests(n: number, flagged: number): { label: string; req: ListRequest }[] {
  const last = (d: number) => ({ from: dayBefore(d - 1), to: dayBefore(0) });
  const deep = (x: number) => Math.max(0, Math.floor(x));
  const f: [string, ListRequest][] = [
    ['no filter, newest first', {}],
    ['today', last(1)],
    ['last 7 days', last(7)],
    ['last 30 days', last(30)],
    ['a month, half a year ago', { from: dayBefore(200), to: dayBefore(170) }],
    ['a quarter', { from: dayBefore(120), to: dayBefore(30) }],
    ['the whole year', { from: dayBefore(365), to: dayBefore(0) }],
    ['one day, 100 days ago', { from: dayBefore(100), to: dayBefore(100) }],
    ['officer', { officer: 'off.03' }],
    ['officer, last 30 days', { officer: 'off.07', ...last(30) }],
    ['direction entry', { direction: 'entry' }],
    ['direction exit, last 7 days', { direction: 'exit', ...last(7) }],
    ['outcome held', { outcome: 'held' }],
    ['outcome referred', { outcome: 'referred' }],
    ['outcome refused entry', { outcome: 'refused-entry' }],
    ['outcome passed, last 7 days', { outcome: 'passed', ...last(7) }],
    ['flagged', { flaggedOnly: true }],
    ['flagged, last 30 days', { flaggedOnly: true, ...last(30) }],
    ['flagged, by top score', { flaggedOnly: true, sort: 'topScore' }],
    ['list', { list: 'Police warrants' }],
    ['list + strong + confirmed', { list: 'Police warrants', band: 'strong', decision: 'confirmed' }],
    ['list + review + not the same person', { list: 'Immigration blacklist', band: 'review', decision: 'not-same-person' }],
    ['list + confirmed', { list: 'Missing persons', decision: 'confirmed' }],
    ['band strong', { band: 'strong' }],
    ['band weak + undecided', { band: 'weak', decision: 'undecided' }],
    ['decision confirmed', { decision: 'confirmed' }],
    ['list + flagged, last 90 days', { list: 'Intelligence watch', flaggedOnly: true, ...last(90) }],
    ['checkpoint', { checkpoint: CHECKPOINT }],
    ['sort top score desc', { sort: 'topScore' }],
    ['sort top score asc', { sort: 'topScore', order: 'asc' }],
    ['sort officer asc', { sort: 'officer', order: 'asc' }],
    ['sort direction desc', { sort: 'direction' }],
    ['sort outcome asc', { sort: 'outcome', order: 'asc' }],
    ['sort time asc', { order: 'asc' }],
    ['deep page: middle', { offset: deep(n / 2) }],
    ['deep page: last', { offset: deep(n - 100) }],
    ['deep page: by top score, a quarter in', { sort: 'topScore', offset: deep(n / 4) }],
    ['deep page: by officer, a third in', { sort: 'officer', order: 'asc', offset: deep(n / 3) }],
    ['deep page: flagged, middle', { flaggedOnly: true, offset: deep(flagged / 2) }],
    ['officer + held', { officer: 'off.02', outcome: 'held' }],
    ['exit + refused entry, last 90 days', { direction: 'exit', outcome: 'refused-entry', ...last(90) }],
    ['list + band + decision, by top score', { list: 'Police warrants', band: 'review', decision: 'not-same-person', sort: 'topScore' }],
    ['the year\'s first two months, by outcome', { from: dayBefore(364), to: dayBefore(300), sort: 'outcome' }],
    ['referred + flagged', { outcome: 'referred', flaggedOnly: true }],
    ['not the same person, last 7 days', { decision: 'not-same-person', ...last(7) }],
    ['band review, by officer', { band: 'review', sort: 'officer' }],
    ['officer, deep page', { officer: 'off.12', offset: deep(n / OFFICERS / 2) }],
    ['a quarter + flagged, by top score asc', { from: dayBefore(120), to: dayBefore(30), flaggedOnly: true, sort: 'topScore', order: 'asc' }],
    ['entry, oldest first, a tenth in', { direction: 'entry', order: 'asc', offset: deep(n / 10) }],
    ['last 30 days + exit + passed + officer', { ...last(30), direction: 'exit', outcome: 'passed', officer: 'off.05' }],
  ];
  return f.map(([label, req]) => ({ label, req: { limit: 100, ...req } }));
}

/** The searches of the search step, from the seeded travelers kept as probes. */
function searchRequests(probes: Probe[]): { kind: string; req: ListRequest; want: string | null }[] {
  const out: { kind: string; req: ListRequest; want: string | null }[] = [];
  const add = (kind: string, take: number, pick: (p: Probe) => { q: string | null; field?: 'name' | 'document' }) => {
    for (const p of probes) {
      if (out.filter((x) => x.kind === kind).length >= take) break;
      const { q, field = 'name' } = pick(p);
      if (q) out.push({ kind, req: { [field]: q, limit: 100 }, want: p.crossingId });
    }
  };
  add('name as stored', 10, (p) => ({ q: p.stored }));
  add('another romanization (Thai)', 8, (p) => ({ q: p.otherRomanization }));
  add('Thai script, stored romanized', 8, (p) => ({ q: p.culture === 'thai' && p.stored !== p.script ? p.script : null }));
  add('romanized, stored in Thai script', 5, (p) => ({ q: p.culture === 'thai' && p.stored === p.script ? p.latin : null }));
  add('name order swapped', 5, (p) => ({ q: p.latin.includes(' ') ? p.reversed : null }));
  add('one-letter typo', 10, (p) => ({ q: p.typo !== p.latin ? p.typo : null }));
  for (const q of ['Quxley Nobodyson', 'Zebulon Oxtrander', 'Xiomara Quillfeather', 'วรวุฒิ ซซซซซซ', 'Ngoc Trinh Zzyzx']) out.push({ kind: 'a name nobody has', req: { name: q, limit: 100 }, want: null });
  add('document as stored', 10, (p) => ({ q: p.document, field: 'document' }));
  add('document, lower case, dashes', 5, (p) => ({ q: p.document ? `${p.document.slice(0, 2).toLowerCase()}-${p.document.slice(2, 5)} ${p.document.slice(5)}` : null, field: 'document' }));
  add('national ID', 5, (p) => ({ q: p.nationalId ? `${p.nationalId.slice(0, 1)}-${p.nationalId.slice(1, 5)}-${p.nationalId.slice(5, 10)}-${p.nationalId.slice(10, 12)}-${p.nationalId.slice(12)}` : null, field: 'document' }));
  return out;
}

/** A signed-in supervisor on the benchmark's database (the real handler table). */
async function supervisor(ctx: Context, extra: Partial<EngineOptions> = {}): Promise<{ engine: Engine; api: ApiClient }> {
  const engine = new Engine({ dbPath: ctx.dbPath, log: (l) => process.stderr.write(`${l}\n`), ...extra });
  const api = createClient((r) => engine.handle(r));
  await api.call('auth.signIn', SUPERVISOR);
  return { engine, api };
}

/** Step query: the filter changes and the searches, each timed around the API call. */
async function queryStep(ctx: Context) {
  const { engine, api } = await supervisor(ctx);
  const time = async (req: ListRequest) => {
    const t = performance.now();
    const r = await api.call('crossings.list', req);
    return { ms: performance.now() - t, r };
  };
  const all = (await time({ limit: 100 })).r.total;
  const flagged = (await time({ flaggedOnly: true, limit: 1 })).r.total;
  const cold = (await time({ name: 'Somchai Jaidee', limit: 100 })).ms;
  for (const { req } of filterRequests(ctx.crossings, flagged).slice(0, 5)) await time(req); // warm-up
  const filters: { label: string; ms: number; total: number }[] = [];
  for (const { label, req } of filterRequests(ctx.crossings, flagged)) {
    const { ms, r } = await time(req);
    filters.push({ label, ms, total: r.total });
  }
  const probes = JSON.parse(readFileSync(join(ctx.dir, 'probes.json'), 'utf8')) as Probe[];
  const searches: { kind: string; ms: number; total: number; found: boolean | null }[] = [];
  for (const { kind, req, want } of searchRequests(probes)) {
    const { ms, r } = await time(req);
    searches.push({ kind, ms, total: r.total, found: want === null ? r.total === 0 : r.crossings.some((c) => c.id === want) });
  }
  await engine.shutdown();
  return { all, flagged, coldSearchMs: cold, filters, searches, peakRssMb: peakMb() };
}

/** Step export: one crossings.export to a file, as `watchdesk export crossings --out` does, with the process's peak memory. */
async function exportStep(ctx: Context, format: 'csv' | 'xlsx', flaggedOnly: boolean) {
  const path = join(ctx.dir, `export-${flaggedOnly ? 'flagged' : 'all'}.${format}`);
  const { engine, api } = await supervisor(ctx, { exportTo: { path, overwrite: true } });
  const baseRss = process.memoryUsage().rss;
  let maxSampled = baseRss;
  const sampler = setInterval(() => {
    maxSampled = Math.max(maxSampled, process.memoryUsage().rss);
  }, 50);
  const t0 = performance.now();
  const r = await api.call('crossings.export', { format, flaggedOnly, lang: 'en' });
  const s = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  await engine.shutdown();
  const bytes = statSync(path).size;
  rmSync(path, { force: true });
  return { format, flaggedOnly, s, rows: r.rows, bytes, baseRssMb: mb(baseRss), sampledPeakRssMb: mb(maxSampled), peakRssMb: peakMb() };
}

function child<T>(step: string, ctxFile: string): T {
  // WATCHDESK_BENCH_PROFILE=DIR: each step writes a V8 CPU profile there (open it in Chrome's DevTools).
  const prof = process.env.WATCHDESK_BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.WATCHDESK_BENCH_PROFILE}`] : [];
  const out = execFileSync(process.execPath, [...prof, '--import', 'tsx', import.meta.filename, `--child=${step}`, ctxFile], {
    encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(out.trim().split('\n').pop()!) as T;
}

const ms = (x: number) => x.toFixed(1);
const n0 = (x: number) => x.toLocaleString('en');

/** Runs the benchmark and prints its tables. */
export async function crossingsBench(n = arg('crossings', Number(process.env.WATCHDESK_BENCH_CROSSINGS ?? 1_000_000))): Promise<void> {
  // WATCHDESK_BENCH_DIR keeps the seeded desk in that folder and reuses it on the next run (to
  // measure a change without seeding again); WATCHDESK_BENCH_STEPS=query,export-csv-all,... runs only those steps.
  const kept = process.env.WATCHDESK_BENCH_DIR;
  const dir = kept ?? mkdtempSync(join(tmpdir(), 'wd-crossings-bench-'));
  const steps = process.env.WATCHDESK_BENCH_STEPS?.split(',');
  const wanted = (step: string) => !steps || steps.includes(step);
  try {
    const ctxFile = join(dir, 'context.json');
    if (kept && existsSync(ctxFile)) {
      console.log(`\nCrossings benchmark on the desk kept in ${dir} (WATCHDESK_BENCH_DIR; not seeded again).\n`);
    } else {
      mkdirSync(dir, { recursive: true });
      const ctx: Context = { dir, dbPath: join(dir, 'desk.db'), crossings: n };
      writeFileSync(ctxFile, JSON.stringify(ctx), { mode: 0o600 });
      const seed = child<Awaited<ReturnType<typeof seedStep>>>('seed', ctxFile);
      console.log(`\nCrossings benchmark: ${n0(seed.crossings)} crossings in an encrypted desk database (${n0(seed.dbMb)} MB), through the engine's handlers as a signed-in supervisor.\n`);
      console.log('| data | value |\n| --- | --- |');
      console.log(`| crossings, hits, flagged | ${n0(seed.crossings)}, ${n0(seed.hits)}, ${n0(seed.flagged)} |`);
      console.log(`| outcomes | ${Object.entries(seed.outcomes).map(([k, v]) => `${k} ${n0(v)}`).join(', ')} |`);
      console.log(`| name search keys (crossing_name_keys rows) | ${n0(seed.nameKeyRows)} |`);
      console.log(`| seeded in | ${seed.seedS.toFixed(0)} s (search keys computed in ${seed.keysS.toFixed(0)} s of it; peak RSS ${seed.peakRssMb} MB) |`);
    }
    if (wanted('query')) queryTables(ctxFile);
    console.log('\n| export (crossings.export to a file) | rows | time | file | peak RSS (sampled) | peak RSS (getrusage) | before | goal |\n| --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const [format, flagged] of [['csv', false], ['xlsx', false], ['csv', true], ['xlsx', true]] as const) {
      const step = `export-${format}-${flagged ? 'flagged' : 'all'}`;
      if (!wanted(step)) continue;
      const e = child<Awaited<ReturnType<typeof exportStep>>>(step, ctxFile);
      const goal = format === 'csv' ? 30 : 120;
      console.log(`| ${format}, ${flagged ? 'flagged' : 'all'} | ${n0(e.rows)} | ${e.s.toFixed(1)} s | ${n0(mb(e.bytes))} MB | ${e.sampledPeakRssMb} MB | ${e.peakRssMb} MB | ${e.baseRssMb} MB | ${flagged ? '' : `<= ${goal} s: ${e.s <= goal ? 'met' : 'NOT met'}`} |`);
    }
  } finally {
    if (!kept) rmSync(dir, { recursive: true, force: true });
  }
}

/** The filter-change and search tables (the query step). */
function queryTables(ctxFile: string): void {
    const q = child<Awaited<ReturnType<typeof queryStep>>>('query', ctxFile);
    const fs = stats(q.filters.map((f) => f.ms));
    console.log(`\n| filter change (crossings.list, page of 100) | ms | matching |\n| --- | --- | --- |`);
    for (const f of q.filters) console.log(`| ${f.label} | ${ms(f.ms)} | ${n0(f.total)} |`);
    const names = q.searches.filter((s) => !s.kind.startsWith('document') && s.kind !== 'national ID');
    const docs = q.searches.filter((s) => s.kind.startsWith('document') || s.kind === 'national ID');
    const ns = stats(names.map((s) => s.ms));
    const ds = stats(docs.map((s) => s.ms));
    console.log('\n| search (crossings.list, page of 100) | queries | median ms | p95 ms | max ms | found |\n| --- | --- | --- | --- | --- | --- |');
    for (const kind of [...new Set(q.searches.map((s) => s.kind))]) {
      const xs = q.searches.filter((s) => s.kind === kind);
      const st = stats(xs.map((s) => s.ms));
      console.log(`| ${kind} | ${xs.length} | ${ms(st.median)} | ${ms(st.p95)} | ${ms(st.max)} | ${xs.filter((s) => s.found).length}/${xs.length}${kind === 'a name nobody has' ? ' (none shown)' : ''} |`);
    }
    console.log(`\n| summary | queries | median ms | p95 ms | max ms | goal |\n| --- | --- | --- | --- | --- | --- |`);
    console.log(`| **filter change** | ${q.filters.length} | ${ms(fs.median)} | **${ms(fs.p95)}** | ${ms(fs.max)} | p95 <= 200 ms: ${fs.p95 <= 200 ? 'met' : 'NOT met'} |`);
    console.log(`| **name search** | ${names.length} | ${ms(ns.median)} | **${ms(ns.p95)}** | ${ms(ns.max)} | p95 <= 200 ms: ${ns.p95 <= 200 ? 'met' : 'NOT met'} |`);
    console.log(`| **document search** | ${docs.length} | ${ms(ds.median)} | **${ms(ds.p95)}** | ${ms(ds.max)} | p95 <= 200 ms: ${ds.p95 <= 200 ? 'met' : 'NOT met'} |`);
    console.log(`| first name search after sign-in (cold) | 1 | ${ms(q.coldSearchMs)} | | | |`);
}

const childArg = process.argv.find((a) => a.startsWith('--child='));
if (childArg) {
  const ctx = JSON.parse(readFileSync(process.argv[process.argv.length - 1]!, 'utf8')) as Context;
  const step = childArg.slice('--child='.length);
  const ex = /^export-(csv|xlsx)-(all|flagged)$/.exec(step);
  const run: Promise<unknown> = step === 'seed' ? seedStep(ctx) : step === 'query' ? queryStep(ctx)
    : ex ? exportStep(ctx, ex[1] as 'csv' | 'xlsx', ex[2] === 'flagged') : Promise.reject(new Error(`no step ${step}`));
  answerParent(run);
} else if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  await crossingsBench();
}
