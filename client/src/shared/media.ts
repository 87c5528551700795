// Whether a CSS media query matches, kept in step with the window (a chart drawn one way on a
// phone and another on a laptop), and how wide an element is laid out.
import { useCallback, useRef, useState, useSyncExternalStore } from 'react';

export function useMediaQuery(query: string): boolean {
  return useSyncExternalStore(
    (changed) => {
      const list = window.matchMedia(query);
      list.addEventListener('change', changed);
      return () => list.removeEventListener('change', changed);
    },
    () => window.matchMedia(query).matches,
  );
}

/** A phone's width (the stylesheet's own breakpoint). */
export const PHONE_QUERY = '(max-width: 640px)';

/** An element's width in whole pixels, kept in step as it is laid out again (0 until it is). */
export function useElementWidth<T extends HTMLElement>(): [(el: T | null) => void, number] {
  const [width, setWidth] = useState(0);
  const observer = useRef<ResizeObserver | null>(null);
  const ref = useCallback((el: T | null) => {
    observer.current?.disconnect();
    observer.current = null;
    if (!el) return;
    observer.current = new ResizeObserver(([entry]) => setWidth(Math.round(entry!.contentRect.width)));
    observer.current.observe(el);
  }, []);
  return [ref, width];
}
