/**
 * A watchdog for the worker threads that read untrusted files (issue 15): every spreadsheet parse
 * (import, dry run / mapping preview, manifest screening, the OFAC and UN presets) runs in a worker
 * started here, with a V8 heap ceiling, and is stopped with a clear BadInputError when it goes
 * STALL_MS without a sign of progress (`file.parseStalled`: an endless loop in a reader on a
 * crafted file) or runs out of its heap (`file.parseTooLarge`: a cell or merge bomb). The worker
 * body sends progress through `progressBeat`, which also stops it itself, cleanly, a little before
 * the hard ceiling. Nothing of the file reaches these errors.
 *
 * Parent side: startGuardedWorker. Worker side: progressBeat.
 */
import { getHeapStatistics } from 'node:v8';
import { resourceLimits, type Worker } from 'node:worker_threads';
import { reason } from '../../shared/reasons';
import { BadInputError } from './errors';
import { isLoadedMessage, startWorker } from './workers';

/**
 * Longest time (ms) a parse may go without progress before it is stopped. A real read reports
 * progress many times a second (at least every BEAT_MS while rows or XML come, progressBeat): on a
 * 300,000-row x 22-column xlsx with 6.3 million shared strings the longest gap between two
 * progress calls was 1.8 s and the watchdog's longest wait for a message 2.4 s, on 2 cores under a
 * load average of 14 (GC pauses included; the whole import took 165 s and was not stopped). 10 s
 * without any is a reader that loops (issue 15 item 1), never a slow large file.
 */
export const STALL_MS = 10_000;

/**
 * Heap ceiling (MB, V8 old generation) of a parse worker, set above what the largest real file
 * needs so that real files are never cut short. Measured with the streaming reader (parse.ts,
 * spreadsheet/read.ts openWorkbook) on 300,000-row x 22-column xlsx files: 220 MB of heap at the
 * peak for one with inline strings, 1,011 MB for a deliberately heavy one whose 6.3 million cells
 * of text are all distinct entries of the shared-strings table (sampled heap in use, garbage
 * included). 2,048 MB is twice that worst case (the SheetJS reader it replaced needed 2.4 GB for
 * the same sheet). A crafted file that would need more is stopped here, well below what a desk
 * machine has, and the engine lives on.
 */
export const PARSE_MEMORY_MB = 2048;

/**
 * Fraction of the heap limit at which progressBeat stops the read itself. V8 can only end a worker
 * cleanly at its hard limit when the allocation that crosses it is small (Node gives 16 MB of
 * leeway); one larger allocation right at the limit aborts the whole process. Stopping at 90 %
 * from within the read avoids the hard limit in the common case.
 */
const SOFT_HEAP_FRACTION = 0.9;

/** Time (ms) a worker's modules may take to load before its body starts (not the file's doing). */
const LOAD_MS = 60_000;

/** Least time (ms) between two progress messages of a worker body (progressBeat). */
export const BEAT_MS = 100;

/** Test-only overrides (tests shorten the limits to run fast); production never sets them. */
function limitFromEnv(name: string): number | undefined {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : undefined;
}

/** The limits a guarded worker runs under: the constants above, or a test's shorter ones. */
export function parseLimits(): { stallMs: number; memoryMb: number } {
  return {
    stallMs: limitFromEnv('WATCHDESK_TEST_PARSE_STALL_MS') ?? STALL_MS,
    memoryMb: limitFromEnv('WATCHDESK_TEST_PARSE_MEMORY_MB') ?? PARSE_MEMORY_MB,
  };
}

/** The error of a parse stopped for going `stallMs` without progress. */
export function stalledError(stallMs: number): BadInputError {
  return new BadInputError(reason('file.parseStalled', { seconds: Math.round(stallMs / 100) / 10 }));
}

/** The error of a parse stopped at its heap ceiling (`memoryMb`). */
export function tooLargeError(memoryMb: number): BadInputError {
  return new BadInputError(reason('file.parseTooLarge', { mb: memoryMb }));
}

export interface WatchdogOptions {
  /** Stall limit (ms); default parseLimits().stallMs. */
  stallMs?: number;
  /** Heap ceiling (MB); default parseLimits().memoryMb. */
  memoryMb?: number;
  /** True while the worker waits on this thread (back-pressure): that time is never a stall. */
  waiting?: () => boolean;
  /**
   * Called once, before the worker is terminated, when the watchdog stops it (`file.parseStalled`)
   * or it ran out of its heap (`file.parseTooLarge`). The worker's 'exit' follows.
   */
  onStop: (error: BadInputError) => void;
}

/**
 * Starts the worker `name` (workers.ts startWorker) under the watchdog: a heap ceiling of
 * `memoryMb` (resourceLimits), and termination when no message comes from it for `stallMs` (any
 * message counts: progress, results, the load signal). Time this thread itself was held up
 * (a long synchronous call on the engine, so the worker's messages wait in the queue) and time
 * the worker waits on this thread (`waiting`) are not counted. The caller handles the worker's
 * messages and its 'exit' as usual; `onStop` tells it why the watchdog stopped the worker.
 */
export function startGuardedWorker(name: string, source: URL, workerData: Record<string, unknown>, opts: WatchdogOptions): Worker {
  const limits = parseLimits();
  const stallMs = opts.stallMs ?? limits.stallMs;
  const memoryMb = opts.memoryMb ?? limits.memoryMb;
  const worker = startWorker(name, source, workerData, { resourceLimits: { maxOldGenerationSizeMb: memoryMb } });
  const every = Math.max(20, Math.min(1000, Math.floor(stallMs / 5)));
  let last = Date.now();
  let lastCheck = last;
  let loaded = false;
  let done = false;
  const stop = (error: BadInputError) => {
    if (done) return;
    done = true;
    clearInterval(timer);
    opts.onStop(error);
    void worker.terminate();
  };
  const timer = setInterval(() => {
    const now = Date.now();
    // Late by more than a second: this thread was busy, and the worker's messages may be queued.
    if (now - lastCheck > every + 1000 || opts.waiting?.()) last = now;
    lastCheck = now;
    if (now - last > (loaded ? stallMs : Math.max(stallMs, LOAD_MS))) stop(stalledError(stallMs));
  }, every);
  timer.unref();
  worker.on('message', (m: unknown) => {
    last = Date.now();
    if (isLoadedMessage(m)) loaded = true;
  });
  // Registered before the caller's listeners: the caller sees onStop first.
  worker.on('error', (e: Error & { code?: string }) => {
    if (e.code === 'ERR_WORKER_OUT_OF_MEMORY') stop(tooLargeError(memoryMb));
  });
  worker.once('exit', () => {
    done = true;
    clearInterval(timer);
  });
  return worker;
}

/**
 * Worker side: returns a function for the body to call often while it reads (every row, every
 * progress callback of a reader), with the fraction read so far when it knows it. It posts
 * `post(fraction)` (the highest fraction seen, 0..1) at most every BEAT_MS, so the watchdog and a
 * progress bar see the read moving, and throws `file.parseTooLarge` when the heap in use passed
 * SOFT_HEAP_FRACTION of this worker's ceiling (checked at each post).
 */
export function progressBeat(post: (fraction: number) => void): (fraction?: number) => void {
  const ceilingMb = resourceLimits.maxOldGenerationSizeMb || getHeapStatistics().heap_size_limit / 2 ** 20;
  const soft = ceilingMb * 2 ** 20 * SOFT_HEAP_FRACTION;
  let lastPost = 0;
  let best = 0;
  return (fraction?: number) => {
    if (fraction !== undefined && fraction > best) best = Math.min(1, fraction);
    const now = Date.now();
    if (now - lastPost < BEAT_MS) return;
    lastPost = now;
    if (getHeapStatistics().used_heap_size > soft) throw tooLargeError(Math.round(ceilingMb));
    post(best);
  };
}
