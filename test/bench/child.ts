/**
 * The child side of a benchmark step run in its own process (so that its peak memory is its
 * own): prints the step's result as one JSON line and exits 0, or prints the error's stack and
 * exits 1. The parent (each benchmark's runner) reads that line.
 */
export function answerParent(run: Promise<unknown>): void {
  run.then((r) => {
    process.stdout.write(`${JSON.stringify(r)}\n`);
    process.exit(0);
  }, (e: unknown) => {
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  });
}
