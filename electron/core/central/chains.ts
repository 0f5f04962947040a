/**
 * A desk's audit chain as the centre holds it (`wd.audit_rows`), recomputed with the desk's own
 * rules (audit.ts rowHash and the links of verifyChain; signatures by signing.ts TrustWalk): a
 * missing row (a gap), a broken link, a row whose content does not match its hash and a row signed
 * by no key its own trail trusts are found. Rows not pushed yet (the tail) are not a gap.
 *
 * Branches: a desk restored from an older backup (`backup.restore`) goes on from the backup's head,
 * so its next rows take sequence numbers the centre already holds. The centre keeps both (the
 * key is desk, seq and hash: centre schema migration 6): nothing the restored desk records is lost,
 * and the earlier rows stay as evidence. Where two rows follow the same row, the chain goes on with
 * the one received last (the desk as it is now); the other starts an abandoned branch, whose rows
 * are checked for their hashes and links only (no signature walk: they are the past of a desk that
 * no longer exists) and reported as a fork, never as a break. A desk that forks its own chain on
 * purpose is reported the same way: every fork is named with its place and size.
 */
import type pg from 'pg';
import { GENESIS_HASH, rowHash, type AuditRow } from '../audit';
import { TrustWalk } from '../signing';

/** A place where the desk's chain went on from an earlier row (a restored backup). */
export interface ChainFork {
  /** The last row both branches share. */
  afterSeq: number;
  /** Rows of the abandoned branch (or branches) that leave the chain there, kept at the centre. */
  abandonedRows: number;
}

/** One desk's audit chain as the centre holds it. */
export interface DeskChain {
  deskId: string;
  deskName: string;
  /** Rows the centre holds for the desk (both branches of a fork). */
  rows: number;
  /** The last seq checked (the chain's head at the centre, or the row before the break). */
  headSeq: number;
  ok: boolean;
  /** The first seq that fails (a missing row's seq for a gap); null when ok. */
  firstBrokenSeq: number | null;
  /** Seqs missing before the next row the centre holds. */
  gap?: { from: number; to: number };
  /** Forks, oldest first (empty when the chain never forked). */
  forks: ChainFork[];
  /** What is wrong, in English with seqs only (no personal data); starts with 'intact' when ok. */
  message: string;
  /** Fingerprint of the desk trail's root key (compare it with the one the desk shows), null before signing. */
  rootFingerprint: string | null;
}

/** An audit row as the centre returns it: the desk's row (audit.ts), its seq a bigint read as text. */
type CentralAuditRow = Omit<AuditRow, 'seq'> & { seq: string };

const SELECT = `SELECT seq, at, actor_id, action, subject, details, prev_hash, hash, signer, sig FROM wd.audit_rows
  WHERE desk_id = $1 AND seq >= $2 ORDER BY seq, received_at, hash`;

/**
 * Verifies the chain of `desk` over `c` (a connection that reads every desk's rows: the centre's
 * administrator), reading `page` rows at a time (never fewer than the rows of one seq), so a long
 * chain does not fill memory. See the module comment for forks.
 */
export async function verifyChainAtCentre(c: pg.ClientBase, desk: { id: string; name: string }, page = 5000): Promise<DeskChain> {
  const walk = new TrustWalk();
  const rows = Number((await c.query<{ n: string }>('SELECT count(*) AS n FROM wd.audit_rows WHERE desk_id = $1', [desk.id])).rows[0]!.n);
  const forks: ChainFork[] = [];
  /** Tips of abandoned branches: hash -> [seq, the fork it belongs to]. */
  const abandoned = new Map<string, { seq: number; fork: ChainFork }>();
  let prevHash = GENESIS_HASH;
  let expect = 1;
  const done = (firstBrokenSeq: number | null, message: string, gap?: { from: number; to: number }): DeskChain => ({
    deskId: desk.id, deskName: desk.name, rows, headSeq: expect - 1, ok: firstBrokenSeq === null, firstBrokenSeq, forks,
    message, rootFingerprint: walk.root, ...(gap ? { gap } : {}),
  });

  /** Checks the rows of one seq, in the order received; returns a failure, or null. */
  const group = (seq: number, same: AuditRow[]): DeskChain | null => {
    for (const r of same) {
      if (rowHash(r) !== r.hash) return done(seq, `audit row ${seq}: its content does not match its hash (rewritten)`);
    }
    const main = same.filter((r) => r.prev_hash === prevHash && seq === expect);
    for (const r of same) {
      if (main.includes(r)) continue;
      const tip = abandoned.get(r.prev_hash);
      if (tip && tip.seq === seq - 1) {
        abandoned.delete(r.prev_hash);
        abandoned.set(r.hash, { seq, fork: tip.fork });
        tip.fork.abandonedRows++;
        continue;
      }
      if (seq > expect && !main.length) return done(expect, `audit rows ${expect} to ${seq - 1} are missing at the centre (a gap)`, { from: expect, to: seq - 1 });
      return done(seq, `audit row ${seq}: its link to the previous row is broken`);
    }
    if (!main.length) return null;
    // Two rows after the same row: the chain goes on with the one received last (rows come in that order).
    const next = main.at(-1)!;
    if (main.length > 1) {
      const fork = { afterSeq: seq - 1, abandonedRows: main.length - 1 };
      forks.push(fork);
      for (const r of main.slice(0, -1)) abandoned.set(r.hash, { seq, fork });
    }
    const untrusted = walk.step(next);
    if (untrusted) return done(seq, `audit row ${seq}: ${untrusted} (forged or rewritten)`);
    prevHash = next.hash;
    expect++;
    return null;
  };

  let from = 1;
  for (;;) {
    let batch = (await c.query<CentralAuditRow>(`${SELECT} LIMIT $3`, [desk.id, from, page])).rows.map((r) => ({ ...r, seq: Number(r.seq) }));
    const full = batch.length === page;
    if (full) {
      const last = batch.at(-1)!.seq;
      // The last seq's rows may go on past the page: they are read again with the next page.
      const whole = batch.filter((r) => r.seq !== last);
      batch = whole.length ? whole
        : (await c.query<CentralAuditRow>(`${SELECT.replace('seq >= $2', 'seq = $2')}`, [desk.id, last])).rows.map((r) => ({ ...r, seq: Number(r.seq) }));
    }
    for (let i = 0; i < batch.length;) {
      const seq = batch[i]!.seq;
      let j = i;
      while (j < batch.length && batch[j]!.seq === seq) j++;
      const failed = group(seq, batch.slice(i, j));
      if (failed) return failed;
      i = j;
    }
    if (!full) break;
    from = batch.at(-1)!.seq + 1;
  }
  const branches = forks.map((f) => `after row ${f.afterSeq} an earlier branch of ${f.abandonedRows} rows was replaced (a backup restored on the desk), kept at the centre`);
  return done(null, [`intact: ${rows} rows`, ...branches].join('; '));
}
