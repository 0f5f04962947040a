/**
 * Shared settings of the property/fuzz tests (test/unit/fuzz-*.test.ts; issue 15 "Fault tests at
 * scale"): the number of generated cases, a fixed seed per target (fast-check prints it with the
 * counterexample on failure; FUZZ_SEED replays another), and a per-case stopwatch so that a case
 * that runs too long fails the test as a hang instead of passing slowly.
 */
import type { Worker } from 'node:worker_threads';
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
