import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../api/client.ts';
import type { Execution, FlowInput } from '../api/types.ts';
import { RunForm } from './RunForm.tsx';

afterEach(cleanup);

const ALL_TYPES: FlowInput[] = [
  { id: 'text', type: 'STRING', defaults: 'hello', description: 'Some text' },
  { id: 'choice', type: 'ENUM', values: ['a', 'b'] },
  { id: 'select', type: 'SELECT', values: ['x', 'y'], allowCustomValue: true, required: false },
  { id: 'many', type: 'MULTISELECT', values: ['m1', 'm2'], required: false },
  { id: 'count', type: 'INT', min: 1 },
  { id: 'ratio', type: 'FLOAT', required: false },
  { id: 'flag', type: 'BOOLEAN', defaults: false },
  { id: 'old', type: 'BOOL', required: false },
  { id: 'when', type: 'DATETIME', required: false },
  { id: 'day', type: 'DATE', required: false },
  { id: 'hour', type: 'TIME', required: false },
  { id: 'wait', type: 'DURATION', required: false },
  { id: 'upload', type: 'FILE', required: false },
  { id: 'payload', type: 'JSON', required: false },
  { id: 'doc', type: 'YAML', required: false },
  { id: 'link', type: 'URI', required: false },
  { id: 'token', type: 'SECRET', required: false },
  { id: 'list', type: 'ARRAY', itemType: 'INT', required: false },
  { id: 'mail', type: 'EMAIL', required: false },
];

const flow = (inputs: FlowInput[]) => ({ namespace: 'company.team', id: 'f', inputs });

describe('RunForm', () => {
  it('renders a labelled field for every input type, with its defaults and description', () => {
    render(<RunForm flow={flow(ALL_TYPES)} onCreated={() => undefined} />);
    for (const input of ALL_TYPES) expect(screen.getByLabelText(new RegExp(`^${input.id}`))).toBeTruthy();
    expect((screen.getByLabelText(/^text/) as HTMLInputElement).value).toBe('hello');
    expect(screen.getByLabelText(/^text/).getAttribute('aria-describedby')).toBeTruthy();
    expect(screen.getByText(/Some text/)).toBeTruthy();
    expect((screen.getByLabelText(/^upload/) as HTMLInputElement).type).toBe('file');
    expect((screen.getByLabelText(/^token/) as HTMLInputElement).type).toBe('password');
    expect((screen.getByLabelText(/^flag/) as HTMLInputElement).type).toBe('checkbox');
    expect((screen.getByLabelText(/^many/) as HTMLSelectElement).multiple).toBe(true);
    expect(screen.getByLabelText(/^choice/).tagName).toBe('SELECT');
    expect(screen.getByLabelText(/^payload/).tagName).toBe('TEXTAREA');
  });

  it('shows messages next to the fields and sends nothing while any is wrong', async () => {
    const sent: FormData[] = [];
    render(
      <RunForm
        flow={flow(ALL_TYPES)}
        onCreated={() => undefined}
        submit={async (_ns, _id, form) => {
          sent.push(form);
          return {} as Execution & { url: string };
        }}
      />,
    );
    fireEvent.change(screen.getByLabelText(/^count/), { target: { value: '0' } });
    fireEvent.change(screen.getByLabelText(/^mail/), { target: { value: 'not-an-email' } });
    fireEvent.click(screen.getByRole('button', { name: 'Run' }));
    await screen.findByText('must be at least 1');
    const choiceError = screen.getByText('is required');
    expect(screen.getByLabelText(/^choice/).getAttribute('aria-describedby')).toContain(choiceError.id);
    expect(screen.getByLabelText(/^choice/).getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('must be an email address')).toBeTruthy();
    expect(sent).toHaveLength(0);
  });

  it('sends the inputs as multipart and hands the execution over; server input errors go to their field', async () => {
    const created: Execution[] = [];
    let answer: 'error' | 'ok' = 'error';
    const sent: FormData[] = [];
    const inputs: FlowInput[] = [
      { id: 'count', type: 'INT' },
      { id: 'upload', type: 'FILE' },
    ];
    render(
      <RunForm
        flow={flow(inputs)}
        onCreated={(e) => created.push(e)}
        submit={async (_ns, _id, form) => {
          sent.push(form);
          if (answer === 'error')
            throw new ApiError(
              422,
              'Invalid input for `count`, it is too large for this flow',
              'INVALID_INPUT',
            );
          return { id: 'exec1' } as Execution & { url: string };
        }}
      />,
    );
    fireEvent.change(screen.getByLabelText(/^count/), { target: { value: '42' } });
    const file = new File(['a,b'], 'data.csv', { type: 'text/csv' });
    fireEvent.change(screen.getByLabelText(/^upload/), { target: { files: [file] } });
    fireEvent.click(screen.getByRole('button', { name: 'Run' }));
    await screen.findByText('it is too large for this flow');
    expect(sent[0]?.get('count')).toBe('42');
    expect((sent[0]!.get('upload') as File).name).toBe('data.csv');

    answer = 'ok';
    fireEvent.change(screen.getByLabelText(/^count/), { target: { value: '4' } });
    expect(screen.queryByText('it is too large for this flow')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Run' }));
    await waitFor(() => expect(created).toEqual([{ id: 'exec1' }]));
  });
});
