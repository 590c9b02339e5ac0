import { describe, expect, it, vi } from 'vitest';
import { createLiveStream, type EventSourceLike, type LiveMessage } from './live';

class FakeSource implements EventSourceLike {
  readyState = 1;
  onerror: ((event: Event) => void) | null = null;
  closed = false;
  private readonly handlers = new Map<string, ((event: MessageEvent<string>) => void)[]>();
  constructor(readonly url: string) {}
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void {
    this.handlers.set(type, [...(this.handlers.get(type) ?? []), listener]);
  }
  close(): void {
    this.closed = true;
    this.readyState = 2;
  }
  emit(type: string, data: object, id = ''): void {
    for (const h of this.handlers.get(type) ?? []) h(new MessageEvent(type, { data: JSON.stringify(data), lastEventId: id }));
  }
  fail(readyState: number): void {
    this.readyState = readyState;
    this.onerror?.(new Event('error'));
  }
}

function harness() {
  const sources: FakeSource[] = [];
  const timers: { fn: () => void; ms: number }[] = [];
  const stream = createLiveStream({
    open: (url) => {
      const s = new FakeSource(url);
      sources.push(s);
      return s;
    },
    setTimer: (fn, ms) => timers.push({ fn, ms }),
    clearTimer: () => undefined,
  });
  return { stream, sources, timers };
}

describe('the live stream', () => {
  it('opens one stream for every subscriber and hands each the events of its prefix', () => {
    const { stream, sources } = harness();
    const todos: LiveMessage[] = [];
    const all: string[] = [];
    stream.subscribe('todo.', (m) => todos.push(m));
    stream.subscribe('', (m) => all.push(m.type));
    expect(sources.map((s) => s.url)).toEqual(['/api/v1/live']);
    sources[0]?.emit('todo.created', { todo_id: 5 }, '41');
    sources[0]?.emit('notification.created', { notification_id: 9 }, '42');
    expect(todos).toEqual([{ type: 'todo.created', id: '41', data: { todo_id: 5 } }]);
    expect(all).toEqual(['todo.created', 'notification.created']);
  });

  it('closes the stream when the last subscriber leaves and opens a new one for the next', () => {
    const { stream, sources } = harness();
    const off1 = stream.subscribe('todo.', () => undefined);
    const off2 = stream.subscribe('notification.', () => undefined);
    off1();
    expect(sources[0]?.closed).toBe(false);
    off2();
    expect(sources[0]?.closed).toBe(true);
    stream.subscribe('todo.', () => undefined);
    expect(sources).toHaveLength(2);
  });

  it('leaves a dropped connection to the browser, and reopens a refused one later, doubling the pause', () => {
    const { stream, sources, timers } = harness();
    stream.subscribe('todo.', () => undefined);
    sources[0]?.fail(0);
    expect(timers).toHaveLength(0);
    sources[0]?.fail(2);
    expect(timers.map((t) => t.ms)).toEqual([1000]);
    timers[0]?.fn();
    expect(sources).toHaveLength(2);
    sources[1]?.fail(2);
    expect(timers.map((t) => t.ms)).toEqual([1000, 2000]);
  });

  it('passes on whether the stream resumed, and a reopened stream as not resumed', () => {
    const { stream, sources, timers } = harness();
    const ready: unknown[] = [];
    stream.subscribe('ready', (m) => ready.push(m.data));
    sources[0]?.emit('ready', { position: 40, resumed: true });
    sources[0]?.emit('ready', { position: 45, resumed: false });
    sources[0]?.fail(2);
    timers[0]?.fn();
    sources[1]?.emit('ready', { position: 50, resumed: true });
    sources[1]?.emit('ready', { position: 51, resumed: true });
    expect(ready).toEqual([
      { position: 40, resumed: true },
      { position: 45, resumed: false },
      { position: 50, resumed: false },
      { position: 51, resumed: true },
    ]);
  });

  it('stays silent where there is no EventSource', () => {
    const listener = vi.fn();
    const off = createLiveStream({ open: undefined }).subscribe('todo.', listener);
    off();
    expect(listener).not.toHaveBeenCalled();
  });
});
