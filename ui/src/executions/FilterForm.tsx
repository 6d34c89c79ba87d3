/**
 * The executions list's filter form: edited freely, applied with Apply (or Enter), cleared with Clear.
 * `namespaces` are suggested in the namespace field.
 */
import { type FormEvent, useState } from 'react';
import type { StateType } from '../api/types.ts';
import { Button } from '../components/Button.tsx';
import { type ExecutionFilters, parseLabelText, STATE_CHOICES, TIME_RANGES } from './filter.ts';

export const FilterForm = ({
  filters,
  onApply,
  namespaces = [],
}: {
  filters: ExecutionFilters;
  onApply: (f: ExecutionFilters) => void;
  namespaces?: readonly string[];
}) => {
  const [namespace, setNamespace] = useState(filters.namespace ?? '');
  const [flowId, setFlowId] = useState(filters.flowId ?? '');
  const [states, setStates] = useState<StateType[]>(filters.states);
  const [labels, setLabels] = useState(filters.labels.join(', '));
  const [timeRange, setTimeRange] = useState(filters.timeRange ?? '');
  const [labelError, setLabelError] = useState<string>();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const parsed = parseLabelText(labels);
    if (parsed.invalid.length > 0) {
      setLabelError(`Not key:value: ${parsed.invalid.join(', ')}`);
      return;
    }
    setLabelError(undefined);
    onApply({
      namespace: namespace.trim() || undefined,
      flowId: flowId.trim() || undefined,
      states,
      labels: parsed.labels,
      timeRange: timeRange || undefined,
      page: 1,
    });
  };
  const toggleState = (s: StateType) =>
    setStates((list) => (list.includes(s) ? list.filter((x) => x !== s) : [...list, s]));

  return (
    <form className="filters" aria-label="Filter executions" onSubmit={submit}>
      <div className="field">
        <label htmlFor="f-namespace">Namespace</label>
        <input
          id="f-namespace"
          className="input"
          list="f-namespaces"
          value={namespace}
          placeholder="any"
          title="The namespace and those below it"
          onChange={(e) => setNamespace(e.target.value)}
        />
        <datalist id="f-namespaces">
          {namespaces.map((n) => (
            <option key={n} value={n} />
          ))}
        </datalist>
      </div>
      <div className="field">
        <label htmlFor="f-flow">Flow</label>
        <input
          id="f-flow"
          className="input"
          value={flowId}
          placeholder="any"
          onChange={(e) => setFlowId(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="f-labels">Labels</label>
        <input
          id="f-labels"
          className="input"
          value={labels}
          placeholder="key:value, key:value"
          aria-invalid={labelError ? true : undefined}
          aria-describedby={labelError ? 'f-labels-error' : undefined}
          onChange={(e) => setLabels(e.target.value)}
        />
        {labelError ? (
          <div id="f-labels-error" className="error" role="alert">
            {labelError}
          </div>
        ) : null}
      </div>
      <div className="field">
        <label htmlFor="f-time">Time range</label>
        <select
          id="f-time"
          className="input"
          value={timeRange}
          onChange={(e) => setTimeRange(e.target.value)}
        >
          {TIME_RANGES.map((r) => (
            <option key={r.value} value={r.value}>
              {r.label}
            </option>
          ))}
        </select>
      </div>
      <fieldset className="states">
        <legend>States</legend>
        {STATE_CHOICES.map((s) => (
          <label key={s} className={`state-choice state-${s}`}>
            <input type="checkbox" checked={states.includes(s)} onChange={() => toggleState(s)} />
            {s}
          </label>
        ))}
      </fieldset>
      <div className="row filter-actions">
        <Button type="submit" variant="primary">
          Apply
        </Button>
        <Button
          onClick={() => {
            setNamespace('');
            setFlowId('');
            setStates([]);
            setLabels('');
            setTimeRange('');
            onApply({ states: [], labels: [], page: 1 });
          }}
        >
          Clear
        </Button>
      </div>
    </form>
  );
};
