/**
 * Coalesces events arriving faster than the screen draws: items pushed during one animation frame are
 * handed over together at the next frame, so a burst of server-sent events (a large execution changes
 * many times a second) makes one React update per frame, not one per event.
 */

export interface FrameScheduler {
  request: (run: () => void) => number;
  cancel: (handle: number) => void;
}

/** The browser's frames; a timer where there are none (a hidden tab still drains, at its own pace). */
export const animationFrames: FrameScheduler =
  typeof requestAnimationFrame === 'function'
    ? { request: (run) => requestAnimationFrame(run), cancel: (h) => cancelAnimationFrame(h) }
    : {
        request: (run) => setTimeout(run, 16) as unknown as number,
        cancel: (h) => clearTimeout(h),
      };

export interface FrameBatcher<T> {
  push: (item: T) => void;
  /** Hands the waiting items over now (the stream ended). */
  flush: () => void;
  /** Drops the waiting items (the page is gone). */
  cancel: () => void;
}

export const frameBatcher = <T>(
  deliver: (items: T[]) => void,
  scheduler: FrameScheduler = animationFrames,
): FrameBatcher<T> => {
  let waiting: T[] = [];
  let handle: number | undefined;
  const flush = () => {
    if (handle !== undefined) scheduler.cancel(handle);
    handle = undefined;
    if (waiting.length === 0) return;
    const items = waiting;
    waiting = [];
    deliver(items);
  };
  return {
    push: (item) => {
      waiting.push(item);
      handle ??= scheduler.request(flush);
    },
    flush,
    cancel: () => {
      if (handle !== undefined) scheduler.cancel(handle);
      handle = undefined;
      waiting = [];
    },
  };
};
