import { describe, expect, it } from 'vitest';
import { fakeApi } from '../testing';
import { previewReset } from './Groups';
import { health } from './Overview';

const LAGS = [
  { topic_name: 'orders', partition_id: 0, current_offset: 5, log_end_offset: 10, lag: 5 },
  { topic_name: 'orders', partition_id: 1, current_offset: 7, log_end_offset: 9, lag: 2 },
];

describe('offset reset preview', () => {
  const partitions = {
    data: [
      { partition_id: 0, earliest_offset: 2, latest_offset: 10, replica_ids: [1], isr_ids: [1], leader_id: 1 },
      { partition_id: 1, earliest_offset: 0, latest_offset: 9, replica_ids: [1], isr_ids: [1], leader_id: 1 },
    ],
  };
  const routes = {
    'GET /v3/clusters': [200, { data: [{ cluster_id: 'c1' }] }] as [number, unknown],
    'GET /v3/clusters/c1/topics/orders/partitions': [200, partitions] as [number, unknown],
  };

  it('computes earliest, latest and a clamped offset without changing anything', async () => {
    const { api, calls } = fakeApi(routes);
    expect((await previewReset(api, LAGS, { to: 'earliest' })).map((r) => [r.current, r.target])).toEqual([
      [5, 2],
      [7, 0],
    ]);
    expect((await previewReset(api, LAGS, { to: 'latest' })).map((r) => r.target)).toEqual([10, 9]);
    expect((await previewReset(api, LAGS, { to: 'offset', offset: 1, topic_name: 'orders', partition_id: 0 })).map((r) => r.target)).toEqual([2]);
    expect(calls.every((c) => c.method === 'GET')).toBe(true);
  });

  it('finds the first offset at or after a time by reading', async () => {
    const { api } = fakeApi({
      ...routes,
      'GET /v3/clusters/c1/topics/orders/partitions/0/records?timestamp=1767225600000&max_records=1&timeout_ms=500': [
        200,
        { next_offset: 8, records: [{ offset: 7 }] },
      ],
      'GET /v3/clusters/c1/topics/orders/partitions/1/records?timestamp=1767225600000&max_records=1&timeout_ms=500': [
        200,
        { next_offset: 9, records: [] },
      ],
    });
    const rows = await previewReset(api, LAGS, { to: 'timestamp', timestamp: 1767225600000 });
    expect(rows.map((r) => r.target)).toEqual([7, 9]);
  });
});

describe('cluster health', () => {
  it('counts under-replicated and offline partitions', () => {
    const p = (isr: number[], leader: number | null) => ({
      topic_name: 't',
      partition_id: 0,
      leader_id: leader,
      replica_ids: [1, 2, 3],
      isr_ids: isr,
      earliest_offset: 0,
      latest_offset: 0,
    });
    expect(health([[p([1, 2, 3], 1), p([1], 1)], [p([], null)]])).toEqual({ topics: 2, partitions: 3, underReplicated: 2, offline: 1, endOffsets: 0 });
  });
});
