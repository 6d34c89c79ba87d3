import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FilterForm } from './FilterForm.tsx';
import type { ExecutionFilters } from './filter.ts';

afterEach(cleanup);

const START: ExecutionFilters = { namespace: 'company', states: ['FAILED'], labels: ['env:prod'], page: 3 };

describe('executions FilterForm', () => {
  it('shows the current filters and applies the edited ones from the first page', () => {
    const onApply = vi.fn();
    render(<FilterForm filters={START} onApply={onApply} />);
    expect((screen.getByLabelText('Namespace') as HTMLInputElement).value).toBe('company');
    expect((screen.getByLabelText('Labels') as HTMLInputElement).value).toBe('env:prod');
    expect((screen.getByLabelText('FAILED') as HTMLInputElement).checked).toBe(true);
    fireEvent.change(screen.getByLabelText('Flow'), { target: { value: ' greet ' } });
    fireEvent.click(screen.getByLabelText('RUNNING'));
    fireEvent.click(screen.getByLabelText('FAILED'));
    fireEvent.change(screen.getByLabelText('Labels'), { target: { value: 'env:prod, team:data' } });
    fireEvent.change(screen.getByLabelText('Time range'), { target: { value: 'P1D' } });
    fireEvent.click(screen.getByRole('button', { name: 'Apply' }));
    expect(onApply).toHaveBeenCalledWith({
      namespace: 'company',
      flowId: 'greet',
      states: ['RUNNING'],
      labels: ['env:prod', 'team:data'],
      timeRange: 'P1D',
      page: 1,
    });
  });

  it('refuses a label that is not key:value, next to the field', () => {
    const onApply = vi.fn();
    render(<FilterForm filters={START} onApply={onApply} />);
    fireEvent.change(screen.getByLabelText('Labels'), { target: { value: 'env:prod oops' } });
    fireEvent.click(screen.getByRole('button', { name: 'Apply' }));
    expect(screen.getByRole('alert').textContent).toBe('Not key:value: oops');
    expect(screen.getByLabelText('Labels').getAttribute('aria-invalid')).toBe('true');
    expect(onApply).not.toHaveBeenCalled();
  });

  it('clears every filter', () => {
    const onApply = vi.fn();
    render(<FilterForm filters={START} onApply={onApply} />);
    fireEvent.click(screen.getByRole('button', { name: 'Clear' }));
    expect(onApply).toHaveBeenCalledWith({ states: [], labels: [], page: 1 });
    expect((screen.getByLabelText('Namespace') as HTMLInputElement).value).toBe('');
  });
});
