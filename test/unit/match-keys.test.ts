/**
 * Match keys stored at import, and the shortcuts that keep a million-entry index fast: an index
 * built from stored keys answers exactly as one built from the names; stale keys are noticed;
 * skipping common tokens' posting lists and stopping the ranking early change no answer.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { decodeMatchKeys, encodeMatchKeys, entryVariants, MATCH_KEYS_VERSION } from '../../electron/core/matching/keys';
import { MatchIndex, type MatchableEntry } from '../../electron/core/matching/matcher';
import { buildIndex, storedKeysCurrent } from '../../electron/core/index-host/build';
import { localIndex } from '../../electron/core/index-host/host';
import { Screener } from '../../electron/core/screening';
import { FIXTURES, importFixture, setUpEngine } from './helpers';

const thai = Papa.parse<{ thai: string; latin: string }>(readFileSync(join(FIXTURES, 'eval/thai-latin-names.csv'), 'utf8'), { header: true, skipEmptyLines: true }).data;
const SURNAMES = ['Nguyen', 'Tran', 'Chen', 'Wang', 'Li', 'Kim', 'Smith', 'Sok'];
const GIVEN = ['Van', 'Thi', 'Wei', 'Ming', 'Anh', 'John', 'Dara', 'Lan', 'Hong', 'Minh'];

/** Made-up entries: the Thai eval names in both scripts, and many namesakes of common names. */
function entries(): MatchableEntry[] {
  const out: MatchableEntry[] = thai.map((t, i) => ({
    id: `t${i}`, names: [t.thai, t.latin], dateOfBirth: `19${60 + (i % 40)}-0${1 + (i % 9)}-1${i % 10}`, sex: i % 2 ? 'M' : 'F', nationalities: ['THA'], documents: [],
  }));
  for (let i = 0; i < 3000; i++) {
    out.push({
      id: `c${i}`, names: [`${SURNAMES[i % 8]} ${GIVEN[(i >> 3) % 10]} ${GIVEN[(i * 7) % 10]}`],
      dateOfBirth: `${1950 + (i % 50)}`, sex: null, nationalities: [], documents: [`X${i}`],
    });
  }
  return out;
}

const QUERIES = [
  ...thai.slice(0, 20).map((t) => ({ names: [t.latin] })),
  ...thai.slice(20, 30).map((t) => ({ names: [t.thai], dateOfBirth: '1975' })),
  { names: ['NGUYEN VAN ANH'], dateOfBirth: '1961' },
  { names: ['Li Wei'] },
  { names: ['Wang Ming Hong'], dateOfBirth: '1990-02-03' },
  { names: ['SMITH JOHN'] },
  { names: ['Tran Thi Lna'], dateOfBirth: '1952' },
  { names: ['Chen Wie Mnig'] },
  { names: ['Sok'], documentNumber: 'X17' },
];

describe('stored match keys', () => {
  it('round-trip every variant, and refuse another version or a damaged string', () => {
    const names = ['นายสมชาย ใจดี', 'SOMCHAI JAIDEE', 'Müller-Lüdenscheidt, Jürgen', '王小明'];
    const keys = encodeMatchKeys(names);
    expect(keys.startsWith(MATCH_KEYS_VERSION)).toBe(true);
    expect(decodeMatchKeys(keys)).toEqual(entryVariants(names));
    expect(decodeMatchKeys(keys.replace(MATCH_KEYS_VERSION, 'k000000000000'))).toBeNull();
    expect(decodeMatchKeys(`${MATCH_KEYS_VERSION}\u001esomchai jaidee\u001e0\u001f0 1`)).toEqual([{ name: 0, derived: false, tokens: ['somchai', 'jaidee'] }]);
    expect(decodeMatchKeys(`${MATCH_KEYS_VERSION}\u001esomchai\u001e0\u001f0 5`)).toBeNull(); // no token 5
    expect(decodeMatchKeys(`${MATCH_KEYS_VERSION}\u001esomchai\u001ex\u001f0`)).toBeNull(); // no name index
    expect(decodeMatchKeys(null)).toBeNull();
    expect(decodeMatchKeys(`${MATCH_KEYS_VERSION}\u001esomchai\u001ed\u001f0`)).toBeNull(); // derived, but no name index
    expect(decodeMatchKeys(`${MATCH_KEYS_VERSION}\u001esomchai  jaidee\u001e0\u001f0`)).toBeNull(); // an empty token
    expect(decodeMatchKeys(`${MATCH_KEYS_VERSION}\u001esomchai\u001e0\u001f0\u001e`)).toBeNull(); // an empty variant
    expect(decodeMatchKeys(`${MATCH_KEYS_VERSION}\u001esomchai jaidee\u001e1d\u001f1 0`)).toEqual([{ name: 1, derived: true, tokens: ['jaidee', 'somchai'] }]);
  });

  it('build an index that answers exactly as one built from the names', () => {
    const list = entries();
    const fromNames = new MatchIndex(list);
    const fromKeys = new MatchIndex(list.map((e) => ({ ...e, matchKeys: encodeMatchKeys(e.names) })));
    expect(fromKeys.stats).toEqual({ storedKeys: list.length, computedKeys: 0 });
    expect(fromNames.stats).toEqual({ storedKeys: 0, computedKeys: list.length });
    for (const q of QUERIES) expect(fromKeys.match(q, { top: 5 })).toEqual(fromNames.match(q, { top: 5 }));
  });

  it('are stored by import, used at start, and distrusted when normalization no longer agrees', async () => {
    const { engine, api } = await setUpEngine();
    await importFixture(api, 'warrants-th.csv', 'Warrants');
    const db = engine.requireDb();
    const stored = db.prepare('SELECT count(*) AS n FROM entries WHERE match_keys LIKE ?').get(`${MATCH_KEYS_VERSION}%`) as { n: number };
    const total = db.prepare('SELECT count(*) AS n FROM entries').get() as { n: number };
    expect(stored.n).toBe(total.n);
    expect(total.n).toBeGreaterThan(3);
    expect(storedKeysCurrent(db)).toBe(true);
    const freshIndex = buildIndex(db);
    const fresh = new Screener(() => db, localIndex(freshIndex));
    expect(freshIndex.index.stats).toEqual({ storedKeys: total.n, computedKeys: 0 });

    // An entry imported before keys were stored (migration 4) has none: its names are read for it alone.
    const old = db.prepare('SELECT id, names FROM entries ORDER BY rowid DESC LIMIT 1').get() as { id: string; names: string };
    db.prepare('UPDATE entries SET match_keys = NULL WHERE id = ?').run(old.id);
    expect(storedKeysCurrent(db)).toBe(true);
    const mixedIndex = buildIndex(db);
    const mixed = new Screener(() => db, localIndex(mixedIndex));
    expect(mixedIndex.index.stats).toEqual({ storedKeys: total.n - 1, computedKeys: 1 });
    const oldName = (JSON.parse(old.names) as { name: string }[])[0]!.name;
    expect((await mixed.hits({ names: [oldName] }, 3, []))[0]?.explanation.matchedName).toBe(oldName);

    // Keys of the current version that no longer match the names (as after a rule change the
    // probe names miss): the sample notices, and every entry is normalized from its names.
    const first = db.prepare('SELECT id, names FROM entries ORDER BY rowid LIMIT 1').get() as { id: string; names: string };
    db.prepare('UPDATE entries SET match_keys = ? WHERE id = ?').run(encodeMatchKeys(['Someone Else Entirely']), first.id);
    expect(storedKeysCurrent(db)).toBe(false);
    const rebuiltIndex = buildIndex(db);
    const rebuilt = new Screener(() => db, localIndex(rebuiltIndex));
    expect(rebuiltIndex.index.stats).toEqual({ storedKeys: 0, computedKeys: total.n });
    const name = (JSON.parse(first.names) as { name: string }[])[0]!.name;
    const hit = (await rebuilt.hits({ names: [name] }, 3, []))[0];
    expect(hit?.entry.id).toBe(first.id);
    expect(hit?.explanation.matchedName).toBe(name);
    // Built from stored keys, the index holds no names: the hit's matched name comes from its row.
    const viaKeys = (await fresh.hits({ names: [name] }, 3, []))[0];
    expect(viaKeys?.entry.id).toBe(first.id);
    expect(viaKeys?.explanation.matchedName).toBe(name);
    engine.close();
  });
});

describe('retrieval and ranking shortcuts', () => {
  const index = new MatchIndex(entries());

  it('the best few are the first few of the full ranking (early stop by score bound)', () => {
    for (const q of QUERIES) {
      const all = index.match(q, { top: 10_000, minScore: 0.5 });
      const few = index.match(q, { top: 3, minScore: 0.5 });
      expect(few.map((r) => r.score)).toEqual(all.slice(0, 3).map((r) => r.score));
      expect(few.length).toBe(Math.min(3, all.length));
    }
  });

  it('finds a typo among hundreds of namesakes of common name parts', () => {
    // 'nguyen' and 'van' are on hundreds of entries; the rare token decides, typo and all.
    const list = [...entries(), { id: 'target', names: ['Nguyen Van Quockhanhtest'], dateOfBirth: '1970-05-05', sex: 'M', nationalities: ['VNM'], documents: [] }];
    const idx = new MatchIndex(list);
    const hits = idx.match({ names: ['NGUYEN VAN QUOCKHANTEST'], dateOfBirth: '1970-05-05' }, { top: 3, retrieveAbove: 0.75 });
    expect(hits[0]?.entryId).toBe('target');
    expect(hits[0]!.score).toBeGreaterThanOrEqual(0.9);
    // Only the common parts: namesakes, never the rare entry at review.
    const common = idx.match({ names: ['NGUYEN VAN'] }, { top: 50, retrieveAbove: 0.75 });
    expect(common.length).toBeGreaterThan(3);
    expect(common.some((h) => h.entryId === 'target' && h.score >= 0.75)).toBe(false);
  });
});

describe('stored keys at build, mixed with entries without them', () => {
  const entry = (id: string, names: string[]): MatchableEntry => ({ id, names, dateOfBirth: null, sex: null, nationalities: [], documents: [] });
  it('a rejected key string leaves no token in the dictionary (a stray token hid a joined typo)', () => {
    const good = 'somchai wongsakul';
    const fillers = Array.from({ length: 50 }, (_, i) => entry(`f${i}`, [`filler${String.fromCharCode(97 + (i % 26))} other${i}`]));
    const listed = { ...entry('B', [good]), matchKeys: encodeMatchKeys([good]) };
    // current version, but "x" is no name index: refused, so the entry is normalized from its names
    const broken = { ...entry('A', ['Peter Jones']), matchKeys: `${MATCH_KEYS_VERSION}\u001esohmchai\u001ex\u001f0` };
    const answer = (list: MatchableEntry[]) => new MatchIndex(list).match({ names: ['sohmchaiwongsakul'] }, { minScore: 0.5 }).map((r) => r.entryId);
    expect(answer([listed, ...fillers])).toEqual(['B']);
    expect(answer([broken, listed, ...fillers])).toEqual(['B']);
  });
  it('builds when many tokens come from names before an entry with stored keys (the in-place table grows enough)', () => {
    // 140,000 distinct made-up words (a counter written in letters), ten to an entry without keys
    const word = (k: number) => Array.from({ length: 8 }, (_, d) => String.fromCharCode(97 + (Math.floor(k / 26 ** d) % 26))).join('');
    const list: MatchableEntry[] = Array.from({ length: 14000 }, (_, i) => ({
      ...entry(`n${i}`, [Array.from({ length: 10 }, (_, j) => word(i * 10 + j)).join(' ')]), matchKeys: null,
    }));
    list.push({ ...entry('k', ['zzzqqq xxxyyy']), matchKeys: encodeMatchKeys(['zzzqqq xxxyyy']) });
    const index = new MatchIndex(list);
    expect(index.dictionarySize).toBeGreaterThan(131072);
    expect(index.match({ names: ['zzzqqq xxxyyy'] }, { top: 1 })[0]?.entryId).toBe('k');
  }, 60000);
});
