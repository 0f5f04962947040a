/**
 * The crossings browser's table options (renderer/src/screens/crossings/table-options.ts): with
 * rows that change as the list scrolls, TanStack Table must not queue a state change of its own
 * (the page index reset that re-rendered the crossings screen without end and hung it at a
 * language switch, issue 14).
 */
import { describe, expect, it, vi } from 'vitest';
import { createTable, getCoreRowModel, type TableOptionsResolved } from '@tanstack/react-table';
import { ENGINE_DRIVEN_TABLE } from '../../renderer/src/screens/crossings/table-options';

interface Row { index: number }

/** TanStack's own queue is a resolved promise: waits until what it queued has run. */
const flushQueue = () => new Promise<void>((r) => setTimeout(r, 0));

/**
 * Builds a table as useReactTable does (state kept outside, given back on every change), then hands
 * it new rows `rounds` times the way a scrolling virtual list does; returns the state changes the
 * table asked for on its own.
 */
async function stateChangesWhileScrolling(extra: Partial<TableOptionsResolved<Row>>, rounds: number): Promise<number> {
  const onStateChange = vi.fn();
  const rowsFrom = (first: number) => Array.from({ length: 12 }, (_, k) => ({ index: first + k }));
  const options: TableOptionsResolved<Row> = {
    data: rowsFrom(0),
    columns: [{ id: 'time', accessorFn: (r) => r.index }],
    getCoreRowModel: getCoreRowModel(),
    getRowId: (r) => String(r.index),
    state: {},
    onStateChange,
    renderFallbackValue: null,
    ...extra,
  };
  const table = createTable(options);
  const state = { ...table.initialState, sorting: [{ id: 'time', desc: true }] };
  for (let i = 0; i <= rounds; i++) {
    table.setOptions((prev) => ({ ...prev, data: rowsFrom(i * 3), state }));
    expect(table.getRowModel().rows[0]?.original.index).toBe(i * 3);
    await flushQueue();
  }
  return onStateChange.mock.calls.length;
}

describe('crossings table options', () => {
  it('let the rows change (scrolling, pages read) without the table changing its own state', async () => {
    expect(await stateChangesWhileScrolling(ENGINE_DRIVEN_TABLE, 5)).toBe(0);
  });

  it('are needed: by default every change of rows queues a page index reset (the re-render loop)', async () => {
    expect(await stateChangesWhileScrolling({ manualSorting: true }, 5)).toBeGreaterThanOrEqual(5);
  });
});
