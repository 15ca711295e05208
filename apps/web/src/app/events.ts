/**
 * The console's one live-event connection (GET /api/events, server-sent events), shared by every
 * component that listens: the notification bell now, the board later. EventSource reconnects by itself
 * after a dropped connection; when the server refuses (signed out, a server restarting behind a proxy)
 * it gives up, and this module tries again with a growing pause.
 */
import { useEffect, useRef, useState } from 'react';

export type LiveHandler = (type: string, data: unknown) => void;

interface Listener {
  types: string[];
  handler: LiveHandler;
}

/** Not an event of the server: the connection (re)opened or broke, so what was missed must be refetched. */
export const RESYNC = 'resync';

const listeners = new Set<Listener>();
const liveWatchers = new Set<(live: boolean) => void>();
let source: EventSource | null = null;
let attached = new Set<string>();
let retryTimer: ReturnType<typeof setTimeout> | null = null;
let failures = 0;
let live = false;

export const liveEventsSupported = () => typeof window !== 'undefined' && typeof window.EventSource === 'function';

function setLive(v: boolean) {
  if (live === v) return;
  live = v;
  for (const w of liveWatchers) w(v);
}

function dispatch(type: string, raw: string) {
  let data: unknown = null;
  try {
    data = raw ? JSON.parse(raw) : null;
  } catch {
    return;
  }
  for (const l of listeners) if (type === RESYNC || l.types.includes(type)) l.handler(type, data);
}

function attach(type: string) {
  if (!source || attached.has(type)) return;
  attached.add(type);
  source.addEventListener(type, (e) => dispatch(type, (e as MessageEvent<string>).data));
}

function connect() {
  if (source || !liveEventsSupported() || listeners.size === 0) return;
  const es = new EventSource('/api/events', { withCredentials: true });
  source = es;
  attached = new Set();
  attach(RESYNC);
  for (const l of listeners) for (const t of l.types) attach(t);
  es.onopen = () => {
    // What happened before this open (page load, a gap) is not streamed: listeners refetch.
    dispatch(RESYNC, '');
    failures = 0;
    setLive(true);
  };
  es.onerror = () => {
    failures++;
    if (es.readyState !== EventSource.CLOSED) return; // the browser retries on its own
    // Refused (401 when signed out, 5xx…): tell listeners — their refetch also sends a signed-out user to
    // sign-in — and try again later.
    setLive(false);
    es.close();
    if (source === es) source = null;
    dispatch(RESYNC, '');
    const delay = Math.min(60_000, 2_000 * 2 ** Math.min(failures, 5));
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = setTimeout(() => {
      retryTimer = null;
      connect();
    }, delay);
  };
}

function disconnect() {
  if (retryTimer) clearTimeout(retryTimer);
  retryTimer = null;
  source?.close();
  source = null;
  failures = 0;
  setLive(false);
}

/** Listens for server events of `types` (and RESYNC); returns the function that stops listening. */
export function subscribeLive(types: string[], handler: LiveHandler): () => void {
  const l: Listener = { types, handler };
  listeners.add(l);
  if (source) for (const t of types) attach(t);
  else connect();
  return () => {
    listeners.delete(l);
    if (listeners.size === 0) disconnect();
  };
}

/**
 * Calls `onEvent` for live events of `types` while `enabled`; answers whether the stream is open (when it is
 * not — no EventSource, or refused — callers poll instead).
 */
export function useLiveEvents(types: string[], onEvent: LiveHandler, enabled = true): boolean {
  const [isLive, setIsLive] = useState(live);
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const key = types.join(',');
  useEffect(() => {
    if (!enabled || !liveEventsSupported()) return;
    const watch = (v: boolean) => setIsLive(v);
    liveWatchers.add(watch);
    setIsLive(live);
    const stop = subscribeLive(key.split(','), (t, d) => handler.current(t, d));
    return () => {
      stop();
      liveWatchers.delete(watch);
    };
  }, [key, enabled]);
  return enabled && isLive;
}
