/** What the kill campaign's child does (child.ts) and the made-up list it imports. */

/** The kinds of work killed: import publication, crossing saves, exports, key rotation, backups. */
export const FAULT_OPS = ['import', 'crossing', 'export', 'rotate', 'backup'] as const;
export type FaultOp = (typeof FAULT_OPS)[number];

/** The list every import replaces. */
export const LIST_NAME = 'Fault list';

/** Rows of each imported version: enough that publication takes a noticeable time. */
const ROWS = 3000;

/**
 * A made-up list (base64 CSV) whose content differs with `n`, so that each import publishes a
 * new version: ids stay, names and passports of a tenth of the rows change.
 */
export function syntheticList(n: number): string {
  const lines = ['ID,Name,Date of birth,Nationality,Passport'];
  for (let i = 0; i < ROWS; i++) {
    const v = i % 10 === n % 10 ? n : 0;
    lines.push(`F-${i},FAULTPERSON NUMBER${i} VERSION${v},${1950 + (i % 50)}-0${1 + (i % 9)}-1${i % 9},THA,F${String(i + v * 7919).padStart(8, '0')}`);
  }
  return Buffer.from(`${lines.join('\n')}\n`).toString('base64');
}
