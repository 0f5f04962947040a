/**
 * Migration 4: match keys stored with each entry at import (matching/keys.ts), so that building
 * the match index at start-up reads normalized tokens instead of normalizing every name again.
 * Entries imported before this migration have none; the index computes theirs.
 */
export const version = 4;
export const sql = `
ALTER TABLE entries ADD COLUMN match_keys TEXT;
`;
