import type { StateType } from '../api/types.ts';

/** An execution or task run state, colored (and spelled out: the color is never the only sign). */
export const StateBadge = ({ state }: { state: StateType }) => (
  <span className={`state state-${state}`} data-state={state}>
    {state}
  </span>
);
