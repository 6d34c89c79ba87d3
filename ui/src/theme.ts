/**
 * Light and dark themes: the user's choice (kept in localStorage), else the system's. Set as
 * `data-theme` on `<html>`; the CSS variables in styles.css follow it, Monaco gets its matching theme.
 */
import { useSyncExternalStore } from 'react';

export type Theme = 'light' | 'dark';

const KEY = 'baton.theme';
const listeners = new Set<() => void>();

const systemTheme = (): Theme =>
  typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';

const stored = (): Theme | undefined => {
  try {
    const value = localStorage.getItem(KEY);
    return value === 'light' || value === 'dark' ? value : undefined;
  } catch {
    return undefined;
  }
};

let current: Theme = stored() ?? systemTheme();

export const applyTheme = (): void => {
  document.documentElement.dataset.theme = current;
};

export const setTheme = (theme: Theme): void => {
  current = theme;
  try {
    localStorage.setItem(KEY, theme);
  } catch {
    // private mode: the choice lasts for this page only
  }
  applyTheme();
  for (const listener of listeners) listener();
};

export const toggleTheme = (): void => setTheme(current === 'dark' ? 'light' : 'dark');

export const useTheme = (): Theme =>
  useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => current,
  );
