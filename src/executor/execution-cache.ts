/**
 * The copies of executions an executor keeps while it drives them, so that a step does not read its
 * execution back from the store. A copy is used only while the store's version of the execution is
 * still the copy's: another process (an operator command) may have changed it since.
 */
import type { Execution } from '../execution/types.ts';
import type { Store } from '../store/types.ts';

/**
 * Most copies kept. Guards memory against copies never dropped: executions created here but driven to
 * their end by another executor of the cluster (a copy is dropped by the executor that ends it). Far
 * above what one executor drives at once; dropping a copy only costs a read.
 */
const CACHE_MAX = 10_000;

export class ExecutionCache {
  readonly #store: Store;
  readonly #copies = new Map<string, Execution>();

  constructor(store: Store) {
    this.#store = store;
  }

  /** The latest state of an execution: the copy if the store's version (read now) is its own. */
  async get(id: string): Promise<Execution | undefined> {
    const copy = this.#copies.get(id);
    if (copy && (await this.#store.getExecutionVersion(id)) === (copy.version ?? 0)) return copy;
    return this.#read(id);
  }

  /** As `get`, the store's version known already (read with the claim); undefined: read it. */
  getAt(id: string, version: number | undefined): Promise<Execution | undefined> {
    if (version === undefined) return this.get(id);
    const copy = this.at(id, version);
    return copy ? Promise.resolve(copy) : this.#read(id);
  }

  /** The copy of an execution if it is at `version`; no store read. */
  at(id: string, version: number): Execution | undefined {
    const copy = this.#copies.get(id);
    return copy && (copy.version ?? 0) === version ? copy : undefined;
  }

  /** Keeps the copy of an execution, the least lately kept dropped beyond CACHE_MAX. */
  keep(execution: Execution): void {
    this.#copies.delete(execution.id); // set anew: the Map's order is then the order of last use
    this.#copies.set(execution.id, execution);
    if (this.#copies.size > CACHE_MAX) this.#copies.delete(this.#copies.keys().next().value as string);
  }

  drop(id: string): void {
    this.#copies.delete(id);
  }

  #read(id: string): Promise<Execution | undefined> {
    this.#copies.delete(id);
    return this.#store.getExecution(id);
  }
}
