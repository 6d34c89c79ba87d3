/**
 * Windowing for long lists of fixed-height rows (10,000 task runs, a long log): only the rows in view,
 * plus a few either side, are in the DOM; spacers above and below keep the scroll height true.
 */
import { type RefObject, useCallback, useEffect, useState } from 'react';

export interface Window {
  /** First row rendered. */
  start: number;
  /** One past the last row rendered. */
  end: number;
  /** Height of the spacer above the rendered rows. */
  before: number;
  /** Height of the spacer below them. */
  after: number;
}

export interface WindowQuery {
  count: number;
  rowHeight: number;
  scrollTop: number;
  viewportHeight: number;
  /** Rows rendered beyond each edge of the view: fast scrolling shows no blank band. */
  overscan?: number;
}

export const windowOf = ({
  count,
  rowHeight,
  scrollTop,
  viewportHeight,
  overscan = 8,
}: WindowQuery): Window => {
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const visible = Math.ceil(viewportHeight / rowHeight) + 1;
  const start = Math.min(count, Math.max(0, first - overscan));
  const end = Math.min(count, first + visible + overscan);
  return { start, end, before: start * rowHeight, after: (count - end) * rowHeight };
};

/**
 * Height assumed before the container is measured (first render, or a DOM without layout): about a
 * screen's worth, so the first paint is full without rendering the whole list.
 */
const UNMEASURED_HEIGHT = 600;

/** The window of a scrolling container, following its scroll and size. */
export const useWindow = (
  container: RefObject<HTMLElement | null>,
  count: number,
  rowHeight: number,
): Window & { scrollToRow: (index: number) => void } => {
  const [view, setView] = useState({ scrollTop: 0, height: UNMEASURED_HEIGHT });
  useEffect(() => {
    const el = container.current;
    if (!el) return;
    let frame: number | undefined;
    const measure = () => {
      frame = undefined;
      setView({ scrollTop: el.scrollTop, height: el.clientHeight || UNMEASURED_HEIGHT });
    };
    // One measure per frame however many scroll events come.
    const onScroll = () => {
      frame ??= requestAnimationFrame(measure);
    };
    measure();
    el.addEventListener('scroll', onScroll, { passive: true });
    const resize = typeof ResizeObserver === 'function' ? new ResizeObserver(onScroll) : undefined;
    resize?.observe(el);
    return () => {
      el.removeEventListener('scroll', onScroll);
      resize?.disconnect();
      if (frame !== undefined) cancelAnimationFrame(frame);
    };
  }, [container]);
  const scrollToRow = useCallback(
    (index: number) => {
      const el = container.current;
      if (!el) return;
      const top = index * rowHeight;
      const height = el.clientHeight || UNMEASURED_HEIGHT;
      if (top < el.scrollTop) el.scrollTop = top;
      else if (top + rowHeight > el.scrollTop + height) el.scrollTop = top + rowHeight - height;
    },
    [container, rowHeight],
  );
  return {
    ...windowOf({ count, rowHeight, scrollTop: view.scrollTop, viewportHeight: view.height }),
    scrollToRow,
  };
};
