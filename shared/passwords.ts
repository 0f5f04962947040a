/**
 * The password policy, shared by the engine (which enforces it) and the UI (which explains it
 * before the user submits). A failed rule is reported by its code; the messages are in English for
 * the engine's errors and translated in the UI.
 */

/** Shortest password accepted. */
export const MIN_PASSWORD_LENGTH = 10;
/** Fewest different characters a password must use. */
export const MIN_DISTINCT_CHARS = 5;

export type PasswordProblem = 'too-short' | 'too-long' | 'too-simple' | 'contains-username' | 'common';

/** The messages the engine returns (the UI maps them back to translated text). */
export const PASSWORD_MESSAGES: Record<PasswordProblem, string> = {
  'too-short': `password must be at least ${MIN_PASSWORD_LENGTH} characters`,
  'too-long': 'password must be at most 256 characters',
  'too-simple': `password must use at least ${MIN_DISTINCT_CHARS} different characters`,
  'contains-username': 'password must not contain the username',
  common: 'password is too common',
};

const COMMON = [
  'password', 'passw0rd', 'p@ssword', '123456', '1234567890', 'qwerty', 'qwertyuiop', 'letmein', 'welcome', 'admin',
  'administrator', 'watchdesk', 'changeme', 'iloveyou', 'abc123', 'monkey', 'dragon', 'sunshine', 'football', 'baseball',
];

/** Checks a password against the policy; returns the first problem, or null when it is acceptable. */
export function checkPassword(password: string, username = ''): PasswordProblem | null {
  if ([...password].length < MIN_PASSWORD_LENGTH) return 'too-short';
  if (password.length > 256) return 'too-long';
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
