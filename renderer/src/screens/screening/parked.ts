/**
 * An open screening kept across an idle lock (or a visit to another screen) so that the same
 * officer resumes it where they left it. Held in this window's memory only, never in storage
 * (it holds personal data); another user signing in, or a deliberate sign-out, discards it.
 */
let parked: { userId: string; state: unknown } | null = null;

/** Keeps `state` for `userId`, replacing whatever was kept. */
export function park(userId: string, state: unknown): void {
  parked = { userId, state };
}

/** The state kept for `userId` (taken: kept no longer); anything kept for another user is discarded. */
export function unpark<T>(userId: string): T | null {
  const p = parked;
  parked = null;
  return p && p.userId === userId ? (p.state as T) : null;
}

/** True when a screening is kept for `userId`. */
export function hasParked(userId: string): boolean {
  return parked?.userId === userId;
}

/** Forgets any kept screening (a deliberate sign-out). */
export function discardParked(): void {
  parked = null;
}
