/**
 * Migration 6 (issue 11, stale lists): the date a list version's file gives for itself (the UN
 * XML's `dateGenerated`, an "updated" date in a spreadsheet's title rows), as an ISO day, so that
 * the list's age is counted from the source rather than from the import; and a list's own limit
 * in days after which it is stale (null: the checkpoint's setting `lists.staleDays`).
 */
export const version = 6;
export const sql = `
ALTER TABLE list_versions ADD COLUMN source_date TEXT;
ALTER TABLE watchlists ADD COLUMN stale_days INTEGER;
`;
