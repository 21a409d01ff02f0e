import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, screen, waitFor } from '@testing-library/react';
import { ApiError } from '../api/client';
import type { ThroughputSeries } from '../api/types';
import { CLUSTER, ME, fakeApi, renderApp } from '../testing';
import { throughputSource } from './Overview';

const series = (n: number): ThroughputSeries => ({
  times: Array.from({ length: n }, (_, i) => 1_767_225_600_000 + i * 5000),
  messagesPerSec: Array.from({ length: n }, (_, i) => i * 10),
  bytesPerSec: Array.from({ length: n }, (_, i) => i * 1000),
  topics: {},
});

describe('where the throughput charts come from', () => {
  it("waits for the gateway's samples, then shows them from the second", () => {
    expect(throughputSource(null, null, 0)).toBe('waiting');
    expect(throughputSource(series(1), null, 2)).toBe('waiting');
    expect(throughputSource(series(2), null, 1)).toBe('gateway');
  });

  it('samples on the page when the gateway has no endpoint, or too few samples after three polls', () => {
    expect(throughputSource(null, new ApiError(404, 'Not Found'), 1)).toBe('page');
    expect(throughputSource(series(1), null, 3)).toBe('page');
    expect(throughputSource(null, new Error('boom'), 1)).toBe('error');
    expect(throughputSource(null, new Error('boom'), 3)).toBe('page');
  });

  it("goes back to the gateway's samples once it has two, however late", () => {
    // The regression: a page that had fallen back to its own sampling stayed there, charts empty,
    // while the gateway's samples came in.
    expect(throughputSource(series(0), null, 3)).toBe('page');
    expect(throughputSource(series(2), null, 4)).toBe('gateway');
    expect(throughputSource(series(40), null, 100)).toBe('gateway');
  });
});

describe('Overview page', () => {
  it("charts the gateway's messages and bytes per second with their sample counts", async () => {
    const samples = [0, 1, 2].map((i) => ({
      timestamp: 1_767_225_600_000 + i * 5000,
      messages_per_sec: i * 4,
      bytes_per_sec: i * 400,
      topics: { orders: { messages_per_sec: i * 4, bytes_per_sec: i * 400 } },
    }));
    const { api } = fakeApi({
      'GET /v3/auth/me': [200, ME],
      'GET /v3/clusters': [200, CLUSTER],
      'GET /v3/clusters/c1': [200, { cluster_id: 'c1' }],
      'GET /v3/clusters/c1/brokers': [200, { data: [{ broker_id: 1, host: 'h', port: 9092 }] }],
      'GET /v3/clusters/c1/topics': [200, { data: [] }],
      'GET /v3/clusters/c1/metrics/throughput': [200, { interval_ms: 5000, samples }],
    });
    renderApp('/', api);
    const messages = await screen.findByTestId('chart-messages');
    await waitFor(() => expect(messages).toHaveAttribute('data-samples', '3'));
    expect(messages).toHaveAttribute('data-max', '8');
    expect(screen.getByTestId('chart-bytes')).toHaveAttribute('data-max', '800');
    expect(screen.getByRole('link', { name: 'orders' })).toBeInTheDocument();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it("keeps asking the gateway after falling back to its own sampling, and charts the gateway's samples once there", async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let asked = 0;
    const samples = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ timestamp: 1_767_225_600_000 + i * 5000, messages_per_sec: 3, bytes_per_sec: 300, topics: {} }));
    const { api } = fakeApi({
      'GET /v3/auth/me': [200, ME],
      'GET /v3/clusters': [200, CLUSTER],
      'GET /v3/clusters/c1': [200, { cluster_id: 'c1' }],
      'GET /v3/clusters/c1/brokers': [200, { data: [] }],
      'GET /v3/clusters/c1/topics': [200, { data: [] }],
      // A gateway slow to sample: nothing for the first four asks, then two samples.
      'GET /v3/clusters/c1/metrics/throughput': () => [200, { interval_ms: 5000, samples: samples(++asked > 4 ? 2 : 0) }],
    });
    renderApp('/', api);
    await screen.findByText(/No samples yet/);
    for (let i = 0; i < 3; i++) {
      await act(async () => {
        vi.advanceTimersByTime(5000);
      });
    }
    // Three polls without samples: the page samples end offsets itself.
    await screen.findByText(/this page samples the end offsets/);
    for (let i = 0; i < 2 && !screen.queryByTestId('chart-messages'); i++) {
      await act(async () => {
        vi.advanceTimersByTime(5000);
      });
    }
    const chart = await screen.findByTestId('chart-messages');
    expect(chart).toHaveAttribute('data-samples', '2');
    expect(chart).toHaveAttribute('data-max', '3');
    expect(asked).toBeGreaterThan(4);
  });
});
