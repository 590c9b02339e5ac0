// The app's one live stream: GET /api/v1/live (Server-Sent Events), shared by everything that
// wants to hear about the signed-in user's events (the top bar's bell and to-do count, a page's
// list). Opened on the first subscription and closed after the last one goes, so it lives exactly
// as long as the signed-in layout; nothing polls.
//
// The server opens each stream with `event: ready` and data {"position", "resumed"}; resumed is
// false when it could not replay what this browser missed, and whoever shows server data should
// then reload it. After a dropped connection the browser reconnects by itself and sends the last
// event id it saw; when the server refuses a stream outright (an HTTP error) the browser gives up,
// and the stream is reopened here after a pause that doubles up to a limit. A reopened stream has
// no last event id, so its ready is passed on as resumed=false whatever the server says.

/** One event off the stream: its type ("todo.created"), its id (the event's seq) and its JSON data. */
export interface LiveMessage {
  type: string;
  id: string | null;
  data: unknown;
}

/** The data of the `ready` event that opens a stream. */
export interface LiveReady {
  position: number;
  resumed: boolean;
}

export type LiveListener = (message: LiveMessage) => void;

/** What the stream needs of an EventSource (the browser's, or a test's). */
export interface EventSourceLike {
  readonly readyState: number;
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void;
  close(): void;
  onerror: ((event: Event) => void) | null;
}

export interface LiveOptions {
  url?: string;
  /** Opens a stream; undefined where the browser has no EventSource (the stream stays silent). */
  open?: ((url: string) => EventSourceLike) | undefined;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

/** The event types the server sends; EventSource hands a named event only to listeners of that name. */
export const LIVE_EVENT_TYPES = [
  'ready',
  'todo.created',
  'todo.completed',
  'todo.cancelled',
  'notification.created',
  'notification.read',
] as const;

const CLOSED = 2;
const FIRST_RETRY_MS = 1000;
const LAST_RETRY_MS = 60_000;

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export interface LiveStream {
  /**
   * Calls `listener` with every event whose type starts with `prefix` ("todo." for all to-do
   * events, "ready" for the opening of each stream). Returns the unsubscribe function.
   */
  subscribe(prefix: string, listener: LiveListener): () => void;
}

export function createLiveStream(options: LiveOptions = {}): LiveStream {
  const url = options.url ?? '/api/v1/live';
  const open = options.open;
  const setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  const clearTimer = options.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
  const listeners = new Set<{ prefix: string; listener: LiveListener }>();
  let source: EventSourceLike | null = null;
  let retryTimer: unknown = null;
  let retryMs = FIRST_RETRY_MS;
  let reopened = false;

  const dispatch = (message: LiveMessage) => {
    for (const l of [...listeners]) if (message.type.startsWith(l.prefix)) l.listener(message);
  };

  const connect = () => {
    if (!open) return;
    const s = open(url);
    source = s;
    for (const type of LIVE_EVENT_TYPES) {
      s.addEventListener(type, (event) => {
        let data = parse(event.data);
        if (type === 'ready') {
          const ready = data as Partial<LiveReady>;
          data = { position: Number(ready.position ?? 0), resumed: ready.resumed === true && !reopened } satisfies LiveReady;
          reopened = false;
          retryMs = FIRST_RETRY_MS;
        }
        dispatch({ type, id: event.lastEventId || null, data });
      });
    }
    s.onerror = () => {
      // CONNECTING: the browser is already retrying. CLOSED: it gave up; try again later.
      if (s.readyState !== CLOSED || source !== s) return;
      s.close();
      source = null;
      retryTimer = setTimer(() => {
        retryTimer = null;
        if (listeners.size === 0) return;
        reopened = true;
        connect();
      }, retryMs);
      retryMs = Math.min(retryMs * 2, LAST_RETRY_MS);
    };
  };

  const disconnect = () => {
    if (retryTimer !== null) clearTimer(retryTimer);
    retryTimer = null;
    source?.close();
    source = null;
    reopened = false;
    retryMs = FIRST_RETRY_MS;
  };

  return {
    subscribe(prefix, listener) {
      const entry = { prefix, listener };
      listeners.add(entry);
      if (!source && retryTimer === null) connect();
      return () => {
        listeners.delete(entry);
        if (listeners.size === 0) disconnect();
      };
    },
  };
}

const browserOpen =
  typeof window !== 'undefined' && typeof window.EventSource === 'function'
    ? (u: string) => new window.EventSource(u, { withCredentials: true }) as unknown as EventSourceLike
    : undefined;

const shared = createLiveStream({ open: browserOpen });

/** Subscribes to the app's one live stream; see LiveStream.subscribe. */
export const subscribe: LiveStream['subscribe'] = (prefix, listener) => shared.subscribe(prefix, listener);
