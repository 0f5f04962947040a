/**
 * Shared settings of the property/fuzz tests (test/unit/fuzz-*.test.ts; issue 15 "Fault tests at
 * scale"): the number of generated cases, a fixed seed per target (fast-check prints it with the
 * counterexample on failure; FUZZ_SEED replays another), and a per-case stopwatch so that a case
 * that runs too long fails the test as a hang instead of passing slowly.
 */
import type { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import { afterAll } from 'vitest';
import { isReasonCode } from '../../shared/reasons';
import { startWorker } from '../../electron/core/workers';
import type { FuzzAnswer, FuzzCall } from './fuzz-worker';

/** Generated cases per property: at least 10,000 (issue 15); FUZZ_RUNS overrides, e.g. for a longer soak. */
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);

/** The seed of a target: FUZZ_SEED when set (to replay a printed failure), else the target's own fixed seed. */
export function fuzzSeed(fixed: number): number {
  return process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : fixed;
}

/** fast-check parameters for one property: `runs` cases from the target's fixed seed. */
export function fuzzParams(fixed: number, runs = FUZZ_RUNS): { numRuns: number; seed: number; endOnFailure: boolean } {
  // endOnFailure: no shrinking on a failure, so that a slow case is reported at once (the printed
  // seed and path still replay it).
  return { numRuns: runs, seed: fuzzSeed(fixed), endOnFailure: true };
}

/** Times every case of one target: count, slowest case (ms) and total (ms). */
export class CaseClock {
  cases = 0;
  maxMs = 0;
  totalMs = 0;
  constructor(readonly target: string) {}

  /** Runs `f` once, timing it; returns what it returned, or the error it threw (never rethrows). */
  run<T>(f: () => T): { ok: true; value: T } | { ok: false; error: unknown } {
    const t = performance.now();
    try {
      return { ok: true, value: f() };
    } catch (error) {
      return { ok: false, error };
    } finally {
      this.note(performance.now() - t);
    }
  }

  /** Records one case that took `ms`. */
  note(ms: number): void {
    this.cases++;
    this.totalMs += ms;
    if (ms > this.maxMs) this.maxMs = ms;
  }

  /** One line for the run's figures (test/README.md): cases, slowest case, time spent in the target. */
  summary(): string {
    return `fuzz ${this.target}: ${this.cases} cases, slowest ${this.maxMs.toFixed(1)} ms, ${(this.totalMs / 1000).toFixed(1)} s in the target`;
  }
}

/** A one-line description of a thrown value, for a failure message (its class and reason code, never its data). */
export function describeError(e: unknown): string {
  if (e instanceof Error) {
    const r = (e as { reason?: { code?: unknown }; problem?: { code?: unknown } }).reason ?? (e as { problem?: { code?: unknown } }).problem;
    return `${e.name}${typeof r?.code === 'string' ? ` (${r.code})` : ''}: ${e.message.slice(0, 200)}${e.stack ? `\n${e.stack.split('\n').slice(1, 4).join('\n')}` : ''}`;
  }
  return typeof e;
}

/** True when `code` is one of the reason codes of shared/reasons.ts. */
export function knownReason(code: unknown): boolean {
  return isReasonCode(code);
}

/** How one call in the fuzz worker ended: its answer, or a hang (terminated after the time limit), or a crash of the worker itself (out of memory). */
export type WorkerOutcome =
  | { kind: 'answer'; answer: FuzzAnswer }
  | { kind: 'hang'; ms: number }
  | { kind: 'crash'; detail: string };

/**
 * A worker thread (fuzz-worker.ts) that runs parser calls one at a time under a time limit and a
 * heap ceiling: a call that does not answer in time is a hang (the worker is terminated, which
 * stops even a tight loop, and a new one started for the next call); a worker that dies (out of
 * memory) is a crash. Neither freezes the test process.
 */
export class FuzzWorker {
  private worker: Worker | null = null;
  private ready: Promise<void> | null = null;
  private nextId = 1;

  constructor(private readonly memoryMb = 768) {}

  private start(): Promise<void> {
    const w = startWorker('fuzz-worker', new URL('./fuzz-worker.ts', import.meta.url), {}, { resourceLimits: { maxOldGenerationSizeMb: this.memoryMb } });
    this.worker = w;
    // The modules load before the first answer: a warm-up call, so that no case is timed with the load.
    this.ready = new Promise<void>((ok, fail) => {
      const id = 0;
      const onMessage = (m: { id?: number }) => {
        if (m?.id !== id) return;
        w.off('message', onMessage);
        ok();
      };
      w.on('message', onMessage);
      w.once('error', fail);
      w.postMessage({ id, target: 'parseDate', args: { text: '2000' } });
    });
    return this.ready;
  }

  /** Runs `target(args)` in the worker; `limitMs` is the time after which the call is a hang. */
  async call(target: FuzzCall['target'], args: unknown, limitMs: number): Promise<WorkerOutcome> {
    if (!this.worker) await this.start();
    else await this.ready;
    const w = this.worker!;
    const id = this.nextId++;
    return new Promise<WorkerOutcome>((resolve) => {
      const done = (o: WorkerOutcome) => {
        clearTimeout(timer);
        w.off('message', onMessage);
        w.off('error', onError);
        w.off('exit', onExit);
        resolve(o);
      };
      const onMessage = (m: FuzzAnswer) => {
        if (m?.id === id) done({ kind: 'answer', answer: m });
      };
      const onError = (e: Error) => {
        this.worker = null;
        done({ kind: 'crash', detail: `${e.name}: ${(e as { code?: string }).code ?? ''} ${e.message.slice(0, 200)}` });
      };
      const onExit = (code: number) => {
        this.worker = null;
        done({ kind: 'crash', detail: `worker exited with code ${code}` });
      };
      const timer = setTimeout(() => {
        this.worker = null;
        void w.terminate();
        done({ kind: 'hang', ms: limitMs });
      }, limitMs);
      w.on('message', onMessage);
      w.once('error', onError);
      w.once('exit', onExit);
      w.postMessage({ id, target, args });
    });
  }

  /**
   * Runs `target(args)` as `call` does, adds its time to `c`, and throws (as expectClear does, with
   * `what` naming the case) unless it answered clearly within `budgetMs`; a call over `hangMs` is a hang.
   */
  async callClear(c: CaseClock, target: FuzzCall['target'], args: unknown, what: string, limits: { hangMs: number; budgetMs: number }): Promise<WorkerOutcome> {
    const o = await this.call(target, args, limits.hangMs);
    if (o.kind === 'answer') c.note(o.answer.ms);
    expectClear(o, what);
    if (o.kind === 'answer' && o.answer.ms > limits.budgetMs) throw new Error(`slow: ${what} took ${o.answer.ms.toFixed(0)} ms (budget ${limits.budgetMs} ms)`);
    return o;
  }

  /** Stops the worker. */
  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
  }
}

/**
 * Throws (with the case's outcome) unless the call ended in a value or a clear error: a
 * WatchdeskError with a reason code, or an MrzError with one. `what` names the case (never its bytes).
 */
export function expectClear(o: WorkerOutcome, what: string): void {
  if (o.kind === 'hang') throw new Error(`hang: ${what} did not answer in ${o.ms} ms`);
  if (o.kind === 'crash') throw new Error(`crash: ${what}: ${o.detail}`);
  const e = o.answer.error;
  if (!e) return;
  if ((e.watchdesk || e.mrz) && knownReason(e.reason)) return;
  throw new Error(`unclear error from ${what}: ${e.name}: ${e.message}\n${e.stack}`);
}

/**
 * The shared set-up of one fuzz test file; call it once, at the file's top level (it registers an
 * afterAll). `clock(target)` makes a CaseClock whose summary line is printed after the file's tests;
 * `worker` is a FuzzWorker with a heap ceiling of `workerMemoryMb` (started at its first call, so a
 * file that never calls it starts no thread), stopped after the file's tests.
 */
export function fuzzHarness(workerMemoryMb?: number): { clock: (target: string) => CaseClock; worker: FuzzWorker } {
  const clocks: CaseClock[] = [];
  const worker = new FuzzWorker(workerMemoryMb);
  afterAll(async () => {
    for (const c of clocks) console.info(c.summary());
    await worker.close();
  });
  return {
    clock(target: string): CaseClock {
      const c = new CaseClock(target);
      clocks.push(c);
      return c;
    },
    worker,
  };
}

// --- byte-level damage of a file, shared by the file readers' fuzz tests ---

/** One edit of a file's bytes: a flipped byte, a cut, inserted bytes, and (with ranges) a deleted or repeated range. */
export type ByteEdit =
  | { kind: 'flip'; at: number; bits: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'delete'; at: number; len: number }
  | { kind: 'repeat'; at: number; len: number; times: number };

/**
 * The generator of ByteEdits: flips, cuts and inserts of up to `insertMax` bytes; with `ranges`,
 * also deletions of up to 64 bytes and repeats of up to `ranges.repeatLen` bytes up to
 * `ranges.repeatTimes` times. (Each file keeps its own limits: the arbitrary, hence every case a
 * fixed seed makes, is the one that file had.)
 */
export function byteEditOf(insertMax: number, ranges?: { repeatLen: number; repeatTimes: number }): fc.Arbitrary<ByteEdit> {
  const edits: fc.Arbitrary<ByteEdit>[] = [
    fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bits: fc.integer({ min: 1, max: 255 }) }),
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: insertMax }) }),
  ];
  if (ranges) {
    edits.push(
      fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 64 }) }),
      fc.record({ kind: fc.constant('repeat' as const), at: fc.nat(), len: fc.integer({ min: 1, max: ranges.repeatLen }), times: fc.integer({ min: 2, max: ranges.repeatTimes }) }),
    );
  }
  return fc.oneof(...edits);
}

/** `src` with `edits` applied in order (positions taken modulo the current length); `src` itself is never changed. */
export function applyByteEdits(src: Uint8Array, edits: readonly ByteEdit[]): Uint8Array {
  let b: Uint8Array = Uint8Array.from(src);
  for (const e of edits) {
    const at = b.length ? e.at % b.length : 0;
    if (e.kind === 'flip') {
      if (b.length) b[at] = b[at]! ^ e.bits;
    } else if (e.kind === 'truncate') b = b.slice(0, at);
    else if (e.kind === 'insert') b = concatBytes(b.slice(0, at), e.bytes, b.slice(at));
    else if (e.kind === 'delete') b = concatBytes(b.slice(0, at), b.slice(at + e.len));
    else {
      const part = b.slice(at, at + e.len);
      b = concatBytes(b.slice(0, at), ...Array<Uint8Array>(e.times).fill(part), b.slice(at + e.len));
    }
  }
  return b;
}

/** The bytes of `parts`, one after another, in a new array. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
