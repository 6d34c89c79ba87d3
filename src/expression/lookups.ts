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

type Which = (service: string) => Lookups;

export class Lookups {
  /** The lookups whose render is running (see `sync`): those the shared services answer from. */
  static #active: Lookups | undefined;
  /** Shared services by the set of sources they serve (see `sharedServices`). */
  static readonly #shared = new Map<string, ExpressionServices>();

  /** Made on the first answer: most renders look nothing up. */
  #answers: Map<string, Answer> | undefined;
  /** Set while `run` renders: lookups asked for and not answered yet. */
  #asked: Map<string, () => Promise<unknown>> | undefined;
  readonly #sources: LookupSources;
  #services: ExpressionServices | undefined;

  // Keeps the sources and makes nothing: see `sharedServices` for why a Lookups must be cheap to make.
  constructor(sources: LookupSources) {
    this.#sources = sources;
  }

  /** Services answering from these lookups (made on first use): for renders given them explicitly. */
  get services(): ExpressionServices {
    this.#services ??= Lookups.#table(this.#sources, () => this);
    return this.#services;
  }

  /**
   * Services answering from the Lookups whose `run` or `sync` is rendering, shared by all of them: a
   * caller making Lookups by the thousand (the worker, one per job) renders with these, through
   * `run`/`sync` only. They are those that `sources` (or any sources providing the same) has.
   *
   * Why not bound ones: V8 allocates the objects of a place in the code directly in the old generation
   * once most of those it saw survived a young-generation collection, as happens while a process warms
   * up; a job's Lookups and the closures of its bound services went there, and only a full collection
   * frees them. A ForEach over 100,000 values put about 100 MB more in the old generation so.
   */
  static sharedServices(sources: LookupSources): ExpressionServices {
    const key = SOURCE_NAMES.map((n) => (sources[n] ? 1 : 0)).join('');
    let table = Lookups.#shared.get(key);
    if (!table) {
      table = Lookups.#table(sources, (service) => {
        const active = Lookups.#active;
        if (!active) throw new ExpressionError(`${service}() was called outside the renders of its lookups`);
        return active;
      });
      Lookups.#shared.set(key, table);
    }
    return table;
  }

  static #table(sources: LookupSources, which: Which): ExpressionServices {
    const s: ExpressionServices = {
      jq: (input, filter) =>
        which('jq').#get(
          ['jq', filter, JSON.stringify(input ?? null)],
          (src) => (src.jq ? src.jq(input, filter) : runJqAsync(input, filter)),
          [],
          // A synchronous render outside `run` cannot wait: jq blocks it then, with a short limit.
          () => runJq(input, filter),
        ) as unknown[],
    };
    if (sources.kv)
      s.kv = (namespace, key, { errorOnMissing }) => {
        // The placeholder is an entry: a key being looked up is not missing (yet).
        const entry = which('kv').#get(['kv', namespace, key], (src) => src.kv!(namespace, key), {
          value: null,
        }) as { value: unknown } | undefined;
        if (!entry && errorOnMissing)
          throw new Error(`no value for key '${key}' in namespace '${namespace}'`);
        return entry?.value ?? null;
      };
    if (sources.read)
      s.read = (path) => which('read').#get(['read', path], (src) => src.read!(path), '') as string;
    if (sources.fileSize)
      s.fileSize = (path) =>
        which('fileSize').#get(['fileSize', path], (src) => src.fileSize!(path), 0) as number;
    if (sources.fileExists)
      s.fileExists = (path) =>
        which('fileExists').#get(['fileExists', path], (src) => src.fileExists!(path), false) as boolean;
    if (sources.errorLogs)
      s.errorLogs = () => which('errorLogs').#get(['errorLogs'], (src) => src.errorLogs!(), []) as unknown[];
    return s;
  }

  /** Runs a synchronous render that may use the shared services: they answer from these lookups. */
  sync<T>(render: () => T): T {
    const previous = Lookups.#active;
    Lookups.#active = this;
    try {
      return render();
    } finally {
      Lookups.#active = previous;
    }
  }

  /** Runs `render` (synchronous, repeatable) until every lookup it makes is answered; returns its result. */
  async run<T>(render: () => T): Promise<T> {
    for (let round = 1; ; round++) {
      const asked = new Map<string, () => Promise<unknown>>();
      this.#asked = asked;
      let result: { ok: true; value: T } | { ok: false; error: unknown };
      try {
        result = { ok: true, value: this.sync(render) };
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
    this.#answers ??= new Map();
    const answers = this.#answers;
    const next = async (): Promise<void> => {
      for (let item = todo.shift(); item; item = todo.shift()) {
        const [key, fetch] = item;
        try {
          answers.set(key, { ok: true, value: await fetch() });
        } catch (error) {
          answers.set(key, { ok: false, error });
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
    fetch: (sources: LookupSources) => Promise<unknown>,
    placeholder: unknown,
    blocking?: () => unknown,
  ): unknown {
    const key = JSON.stringify(parts);
    const answer = this.#answers?.get(key);
    if (answer) {
      if (answer.ok) return answer.value;
      throw answer.error;
    }
    if (this.#asked) {
      const sources = this.#sources;
      this.#asked.set(key, () => fetch(sources));
      return placeholder;
    }
    if (blocking) return blocking();
    throw new ExpressionError(
      `${parts[0]}() needs an asynchronous lookup that a synchronous render cannot wait for: render with renderAsync() or inside withLookups()`,
    );
  }
}

const SOURCE_NAMES = ['kv', 'read', 'fileSize', 'fileExists', 'errorLogs'] as const;
