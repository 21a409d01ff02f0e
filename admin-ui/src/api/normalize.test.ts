import { describe, expect, it } from 'vitest';
import { normalizeBrokerDetails, normalizeLagHistory, normalizeThroughput, timeOf } from './normalize';

describe('normalize', () => {
  it('reads throughput samples with per-topic series', () => {
    const t = normalizeThroughput({
      samples: [
        { timestamp: '2026-01-01T00:00:00Z', messages_per_second: 5, bytes_per_second: 500 },
        { timestamp: '2026-01-01T00:00:05Z', messages_per_second: 7, bytes_per_second: 700 },
      ],
      topics: { orders: { samples: [{ timestamp: 1, messages_per_second: 3, bytes_per_second: 30 }] } },
    });
    expect(t.times).toEqual([Date.parse('2026-01-01T00:00:00Z'), Date.parse('2026-01-01T00:00:05Z')]);
    expect(t.messagesPerSec).toEqual([5, 7]);
    expect(t.bytesPerSec).toEqual([500, 700]);
    expect(t.topics.orders.messagesPerSec).toEqual([3]);
  });

  it('reads the per-topic rates carried inside each sample', () => {
    const t = normalizeThroughput({
      interval_ms: 5000,
      samples: [
        { timestamp: 1000000000000, messages_per_sec: 2, bytes_per_sec: 20, topics: { a: { messages_per_sec: 2, bytes_per_sec: 20 } } },
        { timestamp: 1000000005000, messages_per_sec: 5, bytes_per_sec: 50, topics: { b: { messages_per_sec: 5, bytes_per_sec: 50 } } },
      ],
    });
    expect(t.messagesPerSec).toEqual([2, 5]);
    expect(t.topics).toEqual({
      a: { messagesPerSec: [2, 0], bytesPerSec: [20, 0] },
      b: { messagesPerSec: [0, 5], bytesPerSec: [0, 50] },
    });
  });

  it('gives empty series for an unexpected shape instead of failing', () => {
    expect(normalizeThroughput({ what: 1 })).toEqual({ times: [], messagesPerSec: [], bytesPerSec: [], topics: {} });
    expect(normalizeLagHistory(null)).toEqual([]);
  });

  it('reads lag history and broker details under several names', () => {
    expect(normalizeLagHistory({ data: [{ time: 1700000000, total_lag: 4 }] })).toEqual([{ time: 1700000000000, lag: 4 }]);
    expect(normalizeBrokerDetails({ leader_count: 3, log_size_bytes: 1024, is_controller: true })).toEqual({
      partitionsLed: 3,
      replicas: null,
      logSizeBytes: 1024,
      isController: true,
    });
  });

  it('takes epoch seconds, epoch ms and ISO text as times', () => {
    expect(timeOf(1700000000)).toBe(1700000000000);
    expect(timeOf(1700000000123)).toBe(1700000000123);
    expect(timeOf('bad')).toBeNull();
  });
});
