import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { CLUSTER, ME, fakeApi, renderApp } from '../testing';
import { OPEN_TIMEOUT_MS, matches } from './Messages';

/** A WebSocket that the test drives: it records what the page sends and delivers frames. */
class FakeSocket {
  static last: FakeSocket | null = null;
  static CONNECTING = 0;
  static OPEN = 1;
  readyState = 0;
  sent: unknown[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((e: { data: string }) => void) | null = null;
  onclose: ((e: { code: number; reason: string }) => void) | null = null;
  constructor(
    readonly url: string,
    readonly protocols: string[],
  ) {
    FakeSocket.last = this;
  }
  send(text: string) {
    this.sent.push(JSON.parse(text));
  }
  closed = false;
  close() {
    this.readyState = 3;
    this.closed = true;
  }
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  record(offset: number, value: string) {
    this.onmessage?.({
      data: JSON.stringify({ type: 'record', partition_id: 0, offset, timestamp: '2026-01-01T00:00:00Z', key: null, value: { type: 'STRING', data: value }, headers: [] }),
    });
  }
}

const ROUTES = {
  'GET /v3/auth/me': [200, ME] as [number, unknown],
  'GET /v3/clusters': [200, CLUSTER] as [number, unknown],
  'GET /v3/clusters/c1/topics/t': [200, { topic_name: 't', is_internal: false, partitions_count: 1, replication_factor: 1 }] as [number, unknown],
};

describe('live tail', () => {
  beforeEach(() => {
    FakeSocket.last = null;
    vi.stubGlobal('WebSocket', FakeSocket);
  });
  afterEach(() => vi.unstubAllGlobals());

  it('grants credits, holds records while paused and shows them on resume', async () => {
    const { api, setToken } = fakeApi(ROUTES);
    setToken('jwt.token');
    const user = userEvent.setup();
    renderApp('/topics/t/messages?mode=tail', api);
    await waitFor(() => expect(FakeSocket.last).not.toBeNull());
    const socket = FakeSocket.last!;
    expect(socket.url).toMatch(/\/v3\/clusters\/c1\/topics\/t\/consume-socket\?from=end&credits=50$/);
    expect(socket.protocols).toEqual(['brook', 'brook.bearer.jwt.token']);
    act(() => socket.open());
    expect(await screen.findByTestId('tail-status')).toHaveTextContent('live');

    act(() => socket.record(0, 'first'));
    expect(within(screen.getByTestId('tail-records')).getByText('first')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Pause' }));
    act(() => socket.record(1, 'during pause'));
    expect(screen.getByTestId('tail-held')).toHaveTextContent('1 held');
    expect(screen.queryByText('during pause')).not.toBeInTheDocument();
    expect(socket.sent).toEqual([]);

    await user.click(screen.getByRole('button', { name: 'Resume' }));
    expect(within(screen.getByTestId('tail-records')).getByText('during pause')).toBeInTheDocument();
    // Two of the 50 credits were used: resuming tops them up again.
    expect(socket.sent).toEqual([{ type: 'credit', n: 2 }]);
  });

  it('drops a socket whose handshake hangs and opens another', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      const { api } = fakeApi(ROUTES);
      renderApp('/topics/t/messages?mode=tail', api);
      await waitFor(() => expect(FakeSocket.last).not.toBeNull());
      const stalled = FakeSocket.last!;
      act(() => {
        vi.advanceTimersByTime(OPEN_TIMEOUT_MS - 100);
      });
      expect(FakeSocket.last).toBe(stalled);
      act(() => {
        vi.advanceTimersByTime(200);
      });
      expect(stalled.closed).toBe(true);
      const retry = FakeSocket.last!;
      expect(retry).not.toBe(stalled);
      expect(retry.url).toBe(stalled.url);
      expect(screen.getByTestId('tail-status')).toHaveTextContent('connecting');
      act(() => retry.open());
      expect(screen.getByTestId('tail-status')).toHaveTextContent('live');
      // Open in time: no further socket.
      act(() => {
        vi.advanceTimersByTime(2 * OPEN_TIMEOUT_MS);
      });
      expect(FakeSocket.last).toBe(retry);
      expect(retry.closed).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });

  it('tops the credits up while live, never past what it granted', async () => {
    const { api } = fakeApi(ROUTES);
    renderApp('/topics/t/messages?mode=tail', api);
    await waitFor(() => expect(FakeSocket.last).not.toBeNull());
    const socket = FakeSocket.last!;
    act(() => socket.open());
    act(() => {
      for (let i = 0; i < 25; i++) socket.record(i, `r${i}`);
    });
    expect(socket.sent).toEqual([{ type: 'credit', n: 50 }]);
  });
});

describe('search matching', () => {
  it('is a case-sensitive substring of the key, the value or both', () => {
    const r = { partition_id: 0, offset: 0, timestamp: '', key: { type: 'STRING', data: 'Order-7' }, value: { type: 'JSON', data: { total: 12 } }, headers: [] };
    expect(matches(r, 'Order', 'key')).toBe(true);
    expect(matches(r, 'order', 'both')).toBe(false);
    expect(matches(r, '"total":12', 'value')).toBe(true);
    expect(matches(r, 'Order', 'value')).toBe(false);
  });
});
