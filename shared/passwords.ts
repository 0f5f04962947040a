/**
 * The password policy, shared by the engine (which enforces it) and the UI (which explains it
 * before the user submits). A failed rule is reported by its reason code (reasons.ts).
 */
import { reason, type Reason } from './reasons';

/** Shortest password accepted. */
export const MIN_PASSWORD_LENGTH = 10;
/** Fewest different characters a password must use. */
export const MIN_DISTINCT_CHARS = 5;

export type PasswordProblem = 'too-short' | 'too-long' | 'too-simple' | 'contains-username' | 'common';

/** Longest password accepted. */
export const MAX_PASSWORD_LENGTH = 256;
/** Shortest recovery passphrase accepted. */
export const MIN_PASSPHRASE_LENGTH = 16;

/** The rules as parameters for texts that state them (`{{minPassword}}`, `{{minPassphrase}}`, `{{minDistinct}}`). */
export const PASSWORD_RULES = { minPassword: MIN_PASSWORD_LENGTH, minPassphrase: MIN_PASSPHRASE_LENGTH, minDistinct: MIN_DISTINCT_CHARS } as const;

/** The reason code (reasons.ts) of a failed password rule. */
export function passwordReason(problem: PasswordProblem): Reason {
  switch (problem) {
    case 'too-short':
      return reason('password.tooShort', { minimum: MIN_PASSWORD_LENGTH });
    case 'too-long':
      return reason('password.tooLong', { maximum: MAX_PASSWORD_LENGTH });
    case 'too-simple':
      return reason('password.tooSimple', { minimum: MIN_DISTINCT_CHARS });
    case 'contains-username':
      return reason('password.containsUsername');
    case 'common':
      return reason('password.common');
  }
}

const COMMON = [
  'password', 'passw0rd', 'p@ssword', '123456', '1234567890', 'qwerty', 'qwertyuiop', 'letmein', 'welcome', 'admin',
  'administrator', 'watchdesk', 'changeme', 'iloveyou', 'abc123', 'monkey', 'dragon', 'sunshine', 'football', 'baseball',
];

/** Checks a password against the policy; returns the first problem, or null when it is acceptable. */
export function checkPassword(password: string, username = ''): PasswordProblem | null {
  if ([...password].length < MIN_PASSWORD_LENGTH) return 'too-short';
  if (password.length > MAX_PASSWORD_LENGTH) return 'too-long';
  if (new Set(password.toLowerCase()).size < MIN_DISTINCT_CHARS) return 'too-simple';
  const lower = password.toLowerCase();
  const user = username.trim().toLowerCase();
  if (user.length >= 3 && lower.includes(user)) return 'contains-username';
  const bare = lower.replace(/[^a-z0-9@]/g, '').replace(/\d+$/, '');
  if (COMMON.some((c) => bare === c || lower.replace(/\d+$/, '') === c)) return 'common';
  return null;
}

/** Usernames: 2 to 64 letters, digits, dot, dash or underscore. */
export const USERNAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$/;
