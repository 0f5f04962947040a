/**
 * When two watchlist entries are the same person (issue 11, DESIGN.md section 2): they share a
 * document number or a national ID and their full dates of birth, where both have one, agree; or
 * they have the same name (the same words in any order) and the same full date of birth. (A shared
 * number with two different birth dates is a typing error or a reused number, not one person.) Used to group one traveler's hits across lists, to show duplicate
 * entries of one list as one hit, and to warn of duplicates at import. Pure.
 */

/** What the rule reads of an entry (contract.ts EntryView has this shape). */
export interface PersonFields {
  names: readonly { name: string }[] | readonly string[];
  dateOfBirth: string | null;
  documents: readonly { number: string; type: string }[];
}

/** A name compared as words in any order, case and punctuation aside (Thai marks kept). */
function nameForm(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .split(/[^\p{L}\p{M}\p{N}]+/u)
    .filter(Boolean)
    .sort()
    .join(' ');
}

const FULL_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** False only when both dates of birth are full days and differ. */
export function datesAgree(a: string | null, b: string | null): boolean {
  return !(a && b && FULL_DATE.test(a) && FULL_DATE.test(b) && a !== b);
}

/**
 * A number that can say who someone is: five characters or more, three digits or more, not one
 * character repeated. Placeholders ("UNKNOWN", "N/A", "0000000000000", "XXXXXXXX", "11111") are
 * not: lists use them for "no document", and they would make one person of many.
 */
export function isRealNumber(n: string): boolean {
  return n.length >= 5 && (n.match(/\d/g)?.length ?? 0) >= 3 && new Set(n).size >= 2;
}

/** Keys of an entry: two entries sharing any key are the same person. Document numbers compare without spaces or dashes. */
export function samePersonKeys(e: PersonFields): string[] {
  const keys: string[] = [];
  for (const d of e.documents) {
    const n = d.number.toUpperCase().replace(/[^A-Z0-9]/g, '');
    if (isRealNumber(n)) keys.push(`${d.type === 'national-id' ? 'id' : 'doc'}:${n}`);
  }
  if (e.dateOfBirth && FULL_DATE.test(e.dateOfBirth)) {
    for (const n of e.names) {
      const form = nameForm(typeof n === 'string' ? n : n.name);
      if (form) keys.push(`name:${form}|${e.dateOfBirth}`);
    }
  }
  return keys;
}

/**
 * Groups items whose entries are the same person (transitively: A~B and B~C put A, B, C together).
 * Returns groups in the order of each group's first item; items keep their order inside a group.
 */
export function groupSamePerson<T>(items: readonly T[], entryOf: (item: T) => PersonFields): T[][] {
  const parent = items.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  // The full date of birth each group has (the first known): two groups with different ones stay
  // apart, also when an entry without a date would join them.
  const groupDob = items.map((item) => {
    const d = entryOf(item).dateOfBirth;
    return d && FULL_DATE.test(d) ? d : null;
  });
  const owners = new Map<string, number[]>();
  items.forEach((item, i) => {
    for (const k of new Set(samePersonKeys(entryOf(item)))) {
      const seen = owners.get(k) ?? [];
      for (const j of seen) {
        const a = find(i);
        const b = find(j);
        if (a === b || !datesAgree(groupDob[a]!, groupDob[b]!)) continue;
        const root = Math.min(a, b);
        groupDob[root] = groupDob[a] ?? groupDob[b] ?? null;
        parent[Math.max(a, b)] = root;
      }
      owners.set(k, [...seen, i]);
    }
  });
  const groups = new Map<number, T[]>();
  items.forEach((item, i) => {
    const root = find(i);
    const g = groups.get(root);
    if (g) g.push(item);
    else groups.set(root, [item]);
  });
  return [...groups.values()];
}
