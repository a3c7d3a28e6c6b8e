import { useCallback, useState } from "react";

/**
 * A string kept in `localStorage` under `key`, as React state. Storage that is full or blocked
 * (private modes) costs only the memory across reloads: the state still works.
 */
export function useStoredState(key: string, initial: string): [string, (value: string) => void] {
  const [value, setValue] = useState(() => {
    try {
      return localStorage.getItem(key) ?? initial;
    } catch {
      return initial;
    }
  });
  const store = useCallback(
    (next: string) => {
      setValue(next);
      try {
        localStorage.setItem(key, next);
      } catch {
        // Kept for this visit only: see above.
      }
    },
    [key],
  );
  return [value, store];
}
