/**
 * The one way a form submits: `busy` while its call runs (the button is disabled and says so), the
 * error the call threw for the form's ErrorBox (cleared when it is submitted again), and the
 * result, or undefined when the call failed.
 */
import { useCallback, useState } from 'react';

export interface Submit {
  busy: boolean;
  error: unknown;
  setError: (e: unknown) => void;
  /** Runs `work` as the form's one call in flight; resolves to its result, or undefined when it threw. */
  run: <T>(work: () => Promise<T>) => Promise<T | undefined>;
}

export function useSubmit(): Submit {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = useCallback(async <T,>(work: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(null);
    try {
      return await work();
    } catch (e) {
      setError(e);
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, setError, run };
}
