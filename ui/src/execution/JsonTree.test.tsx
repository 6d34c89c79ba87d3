import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { JsonTree } from './JsonTree.tsx';

afterEach(cleanup);

describe('JsonTree', () => {
  it('opens and closes branches from their button, and offers a preview for storage files', () => {
    render(
      <JsonTree
        executionId="exec"
        label="Outputs"
        value={{ rows: [{ id: 1 }], file: 'kestra:///ns/flow/executions/exec/tasks/t/out.txt' }}
      />,
    );
    const rows = screen.getByRole('button', { name: /rows/ });
    expect(rows.getAttribute('aria-expanded')).toBe('false');
    expect(screen.queryByText('1', { selector: '.json-number' })).toBeNull();
    fireEvent.click(rows);
    fireEvent.click(screen.getByRole('button', { name: '0' }));
    expect(screen.getByText('1', { selector: '.json-number' })).toBeTruthy();
    fireEvent.click(rows);
    expect(screen.queryByText('1', { selector: '.json-number' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Preview' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Download' })).toBeTruthy();
  });
});
