import { useCallback, useEffect, useRef, useState } from 'react';

/** The value, settled for `ms` milliseconds (search boxes). */
export function useDebounced<T>(value: T, ms = 250): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const id = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(id);
  }, [value, ms]);
  return settled;
}

/**
 * A list page's search box bound to its URL parameter `q`: what the user types is written (by `write`) once
 * it settles, and only then. The write happens when the settled text changes — never because `write` or the
 * URL changed (react-router's setter changes with every navigation, and an effect keyed on it would write a
 * stale text back over a saved filter just applied). `reset` sets the box to what the URL now holds, writing
 * nothing.
 */
export function useUrlSearch(urlQ: string, write: (q: string) => void, ms = 300) {
  const [search, setSearch] = useState(urlQ);
  const settled = useDebounced(search.trim(), ms);
  const written = useRef(urlQ);
  const writeRef = useRef(write);
  writeRef.current = write;
  useEffect(() => {
    if (settled === written.current) return;
    written.current = settled;
    writeRef.current(settled);
  }, [settled]);
  const reset = useCallback((q: string) => {
    written.current = q;
    setSearch(q);
  }, []);
  return { search, setSearch, reset };
}
