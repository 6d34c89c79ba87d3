/**
 * The end of a reducer step: nothing it stores or sends carries a known secret of the execution in
 * plain text (see src/secrets/seal.ts). Expression contexts open sealed values, so what the executor
 * rendered in this step (flow outputs, a Loop's or a Subflow's outputs, variables, a subflow's inputs,
 * its own log lines and errors) may hold them: sealed or masked here, in memory as in the store.
 */
import { hasSecrets, knownSecrets, maskText, sealedSecrets, sealSecrets } from '../secrets/seal.ts';
import type { Step } from './step.ts';

export const sealStep = (step: Step): void => {
  if (!hasSecrets(step.flow, step.exec)) return;
  const { cipher } = step;
  const known = knownSecrets(step.flow, step.exec, cipher);
  if (known.length === 0) return;
  for (const [id, tr] of step.changed) {
    if (!tr.outputs) continue;
    const outputs = sealSecrets(tr.outputs, known, cipher);
    if (outputs === tr.outputs) continue;
    const sealed = { ...tr, outputs };
    step.idx.put(sealed);
    step.changed.set(id, sealed);
  }
  const e = step.exec;
  const outputs = e.outputs && sealSecrets(e.outputs, known, cipher);
  const variables = e.variables && sealSecrets(e.variables, known, cipher);
  const error = e.error && maskText(e.error, known);
  if (outputs !== e.outputs || variables !== e.variables || error !== e.error)
    step.exec = { ...e, outputs, variables, error };
  step.effects.forEach((effect, i) => {
    if (effect.kind === 'log') {
      const message = maskText(effect.entry.message, known);
      if (message !== effect.entry.message)
        step.effects[i] = { ...effect, entry: { ...effect.entry, message } };
    } else if (effect.kind === 'start-subflow') {
      step.effects[i] = {
        ...effect,
        inputs: sealSecrets(effect.inputs, known, cipher),
        secrets: sealedSecrets(step.flow, step.exec, cipher),
      };
    }
  });
};
