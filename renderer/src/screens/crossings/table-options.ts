/**
 * The TanStack Table options of a table whose rows the engine filters, sorts and pages
 * (CrossingsTable.tsx): the table only holds the columns and shows the sort state.
 *
 * TanStack Table v8 resets the page index (and the expanded rows) whenever its `data` changes,
 * unless told the paging is manual or `autoResetAll` is false: the reset is a state change
 * queued in a microtask, which re-renders the component. A virtual list's `data` changes as it
 * scrolls, and the reset made each render schedule the next one. After a click or a key press those
 * renders ran at the event's priority (sync) from microtasks, so the page never returned from the
 * event: the crossings screen hung at a language switch (issue 14 e2e). Nothing here is reset
 * automatically; checked in test/unit/crossings-table.test.ts.
 */
export const ENGINE_DRIVEN_TABLE = {
  manualSorting: true,
  manualPagination: true,
  manualFiltering: true,
  manualExpanding: true,
  autoResetAll: false,
  enableMultiSort: false,
  enableSortingRemoval: false,
} as const;
