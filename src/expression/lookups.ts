/**
 * Asynchronous answers for the synchronous evaluator. Rendering is synchronous, but `kv()`, `read()`,
 * `fileSize()`, `fileExists()`, `errorLogs()` and jq need I/O (a store that may be a network database,
 * a jq run that must not stall the process). `run(render)` renders once with services that record what
 * they are asked instead of blocking (answering a placeholder), resolves those lookups with the
 * asynchronous sources, then renders again from the answers, until a render asks nothing new.
 *
 * A render whose lookups depend on earlier answers (a key read from a file) takes one round per level;
 * independent lookups are resolved together. Renders must be repeatable: pure apart from these services.
 */
import { ExpressionError } from './errors.ts';
import { runJq, runJqAsync } from './jq.ts';
import type { ExpressionServices } from './types.ts';

/** Where the answers come from. A function whose source is absent is "not available here". */
export interface LookupSources {
  /** The entry's value, or undefined when there is no (live) entry. */
  kv?(namespace: string, key: string): Promise<{ value: unknown } | undefined>;
  read?(path: string): Promise<string>;
  fileSize?(path: string): Promise<number>;
  fileExists?(path: string): Promise<boolean>;
  errorLogs?(): Promise<unknown[]>;
  /** Defaults to `runJqAsync` (a worker thread with its real time limit). */
  jq?(input: unknown, filter: string): Promise<unknown[]>;
}

/**
 * Rounds of render + resolve before giving up. Each round re-renders the value; a chain of lookups feeding
 * each other deeper than this is a runaway (a linked list walked through the KV store), not a flow.
 */
const MAX_ROUNDS = 16;
/** Lookups resolved at once: a loop over 1000 keys must not open 1000 queries on the store together. */
const CONCURRENCY = 8;

type Answer = { ok: true; value: unknown } | { ok: false; error: unknown };

export class Lookups {
  readonly #answers = new Map<string, Answer>();
  /** Set while `run` renders: lookups asked for and not answered yet. */
  #asked: Map<string, () => Promise<unknown>> | undefined;
  readonly services: ExpressionServices;

  constructor(sources: LookupSources) {
    const s: ExpressionServices = {
      jq: (input, filter) => {
        const source = sources.jq ?? runJqAsync;
        return this.#get(
          ['jq', filter, JSON.stringify(input ?? null)],
          () => source(input, filter),
          [],
          // A synchronous render outside `run` cannot wait: jq blocks it then, with a short limit.
          () => runJq(input, filter),
        ) as unknown[];
      },
    };
    const { kv, read, fileSize, fileExists, errorLogs } = sources;
    if (kv)
      s.kv = (namespace, key, { errorOnMissing }) => {
        // The placeholder is an entry: a key being looked up is not missing (yet).
        const entry = this.#get(['kv', namespace, key], () => kv(namespace, key), { value: null }) as
          | { value: unknown }
          | undefined;
        if (!entry && errorOnMissing)
          throw new Error(`no value for key '${key}' in namespace '${namespace}'`);
        return entry?.value ?? null;
      };
    if (read) s.read = (path) => this.#get(['read', path], () => read(path), '') as string;
    if (fileSize) s.fileSize = (path) => this.#get(['fileSize', path], () => fileSize(path), 0) as number;
    if (fileExists)
      s.fileExists = (path) => this.#get(['fileExists', path], () => fileExists(path), false) as boolean;
    if (errorLogs) s.errorLogs = () => this.#get(['errorLogs'], () => errorLogs(), []) as unknown[];
    this.services = s;
  }

  /** Runs `render` (synchronous, repeatable) until every lookup it makes is answered; returns its result. */
  async run<T>(render: () => T): Promise<T> {
    for (let round = 1; ; round++) {
      const asked = new Map<string, () => Promise<unknown>>();
      this.#asked = asked;
      let result: { ok: true; value: T } | { ok: false; error: unknown };
      try {
        result = { ok: true, value: render() };
      } catch (error) {
        // With lookups pending, the error may come from a placeholder: the next round tells.
        result = { ok: false, error };
      } finally {
        this.#asked = undefined;
      }
      if (asked.size === 0) {
        if (result.ok) return result.value;
        throw result.error;
      }
      if (round === MAX_ROUNDS)
        throw new ExpressionError(
          `Expression needs more than ${MAX_ROUNDS} rounds of kv(), read() or jq lookups, each feeding the next: simplify it`,
        );
      await this.#resolve(asked);
    }
  }

  async #resolve(asked: Map<string, () => Promise<unknown>>): Promise<void> {
    const todo = [...asked];
    const next = async (): Promise<void> => {
      for (let item = todo.shift(); item; item = todo.shift()) {
        const [key, fetch] = item;
        try {
          this.#answers.set(key, { ok: true, value: await fetch() });
        } catch (error) {
          this.#answers.set(key, { ok: false, error });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, todo.length) }, next));
  }

  /**
   * The answer to a lookup: from the cache, else recorded (inside `run`, answering `placeholder`), else
   * `blocking()` when there is a synchronous way, else an error saying how to render instead.
   */
  #get(
    parts: string[],
    fetch: () => Promise<unknown>,
    placeholder: unknown,
    blocking?: () => unknown,
  ): unknown {
    const key = JSON.stringify(parts);
    const answer = this.#answers.get(key);
    if (answer) {
      if (answer.ok) return answer.value;
      throw answer.error;
    }
    if (this.#asked) {
      this.#asked.set(key, fetch);
      return placeholder;
    }
    if (blocking) return blocking();
    throw new ExpressionError(
      `${parts[0]}() needs an asynchronous lookup that a synchronous render cannot wait for: render with renderAsync() or inside withLookups()`,
    );
  }
}
