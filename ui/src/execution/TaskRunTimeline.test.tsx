import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { ROW_HEIGHT, TaskRunTimeline } from './TaskRunTimeline.tsx';
import { manyTaskRuns, state, T0 } from './test-task-runs.ts';

afterEach(cleanup);

const COUNT = 10_000;

const Timeline = () => {
  const [selected, setSelected] = useState<string>();
  return (
    <TaskRunTimeline
      taskRuns={manyTaskRuns(COUNT)}
      state={state('RUNNING', 0)}
      selected={selected}
      onSelect={setSelected}
      now={T0 + COUNT * 1000}
    />
  );
};

const renderedRows = () => document.querySelectorAll('tr[data-taskrun]');
const nextFrame = () => act(() => new Promise((resolve) => requestAnimationFrame(() => resolve(undefined))));

describe('TaskRunTimeline', () => {
  it('renders 10,000 task runs as a window of rows, moving with the scroll', async () => {
    render(<Timeline />);
    const rows = renderedRows();
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.length).toBeLessThan(60);
    expect(rows[0]?.getAttribute('data-taskrun')).toBe('tr0');
    expect(screen.getByRole('grid').getAttribute('aria-rowcount')).toBe(String(COUNT + 1));

    const scroller = screen.getByTestId('task-runs');
    scroller.scrollTop = 5_000 * ROW_HEIGHT;
    fireEvent.scroll(scroller);
    await nextFrame();
    const moved = [...renderedRows()].map((r) => r.getAttribute('data-taskrun'));
    expect(moved.length).toBeLessThan(60);
    expect(moved).toContain('tr5000');
    expect(moved).not.toContain('tr0');
  });

  it('re-renders an update of 10,000 task runs with no per-row cost beyond the window', () => {
    const runs = manyTaskRuns(COUNT);
    const props = {
      state: state('RUNNING', 0),
      selected: undefined,
      onSelect: () => undefined,
      now: T0 + COUNT * 1000,
    };
    const first = performance.now();
    const view = render(<TaskRunTimeline taskRuns={runs} {...props} />);
    const rendered = performance.now() - first;
    // An update as the stream brings it: a new list, the last task run ended.
    const next = runs.slice();
    next[COUNT - 1] = { ...next[COUNT - 1]!, state: state('SUCCESS', COUNT - 1, COUNT) };
    const second = performance.now();
    view.rerender(<TaskRunTimeline taskRuns={next} {...props} />);
    const updated = performance.now() - second;
    console.log(`10,000 task runs: first render ${rendered.toFixed(0)} ms, update ${updated.toFixed(0)} ms`);
    expect(renderedRows().length).toBeLessThan(60);
    // Generous bound (a shared, loaded machine and a simulated DOM): the point is no per-row cost.
    expect(updated).toBeLessThan(1_000);
  });

  it('moves the selection with the arrow keys and End', () => {
    render(<Timeline />);
    const grid = screen.getByRole('grid');
    fireEvent.keyDown(grid, { key: 'ArrowDown' });
    expect(document.querySelector('tr[aria-selected="true"]')?.getAttribute('data-taskrun')).toBe('tr0');
    fireEvent.keyDown(grid, { key: 'ArrowDown' });
    expect(grid.getAttribute('aria-activedescendant')).toBe('taskrun-tr1');
    fireEvent.keyDown(grid, { key: 'End' });
    expect(grid.getAttribute('aria-activedescendant')).toBe(`taskrun-tr${COUNT - 1}`);
  });
});
