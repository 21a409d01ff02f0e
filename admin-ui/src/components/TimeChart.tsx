import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface Line {
  label: string;
  values: number[];
  color: string;
}

/**
 * A time-series chart (uPlot): x in milliseconds since the epoch, one or more lines. Resizes with
 * its container. Where the browser lacks canvas (unit tests), the numbers are shown as text.
 *
 * For tests and end-to-end checks, the chart's outer element (`data-testid` from `testId`) says
 * what it holds: `data-samples` (points on the time axis), `data-max` (the largest value of any
 * line, 0 without one) and `data-drawn` (`true` while a uPlot instance is drawn: only with two
 * samples or more and a 2D canvas).
 */
export function TimeChart({
  times,
  lines,
  height = 180,
  unit = '',
  testId,
}: {
  times: number[];
  lines: Line[];
  height?: number;
  unit?: string;
  testId?: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const [drawn, setDrawn] = useState(false);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    if (times.length < 2 || !canDraw()) {
      // One point makes no time axis (uPlot would span years): wait for a second sample.
      plot.current?.destroy();
      plot.current = null;
      setDrawn(false);
      return;
    }
    const data: uPlot.AlignedData = [times.map((t) => t / 1000), ...lines.map((l) => l.values)];
    if (plot.current && plot.current.series.length === lines.length + 1) {
      plot.current.setData(data);
      return;
    }
    plot.current?.destroy();
    plot.current = null;
    try {
      plot.current = new uPlot(
        {
          width: Math.max(el.clientWidth, 240),
          height,
          legend: { show: true },
          cursor: { drag: { x: false, y: false } },
          scales: { x: { time: true } },
          axes: [
            { stroke: 'currentColor', grid: { stroke: 'rgba(128,128,128,0.15)' } },
            {
              stroke: 'currentColor',
              grid: { stroke: 'rgba(128,128,128,0.15)' },
              size: 60,
              values: (_u, vals) => vals.map((v) => compact(v) + unit),
            },
          ],
          series: [{}, ...lines.map((l) => ({ label: l.label, stroke: l.color, width: 2, fill: l.color + '22', points: { show: false } }))],
        },
        data,
        el,
      );
    } catch {
      plot.current = null;
    }
    setDrawn(plot.current !== null);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [times, lines.map((l) => l.values).flat().join(','), lines.length, height]);

  useEffect(() => {
    const el = box.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => plot.current?.setSize({ width: Math.max(el.clientWidth, 240), height }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, [height]);

  const last = lines.map((l) => `${l.label}: ${compact(l.values[l.values.length - 1] ?? 0)}${unit}`).join(' · ');
  return (
    <div className="chart" data-testid={testId} data-samples={times.length} data-max={seriesMax(lines)} data-drawn={drawn}>
      <div ref={box} className="chart-canvas" data-testid="chart" style={times.length < 2 ? { display: 'none' } : undefined} />
      {times.length < 2 ? <div className="chart-empty muted">Collecting samples…</div> : null}
      <div className="chart-last muted">{times.length ? `latest ${last}` : 'no samples yet'}</div>
    </div>
  );
}

/** The largest finite value of any line; 0 when there is none. */
export function seriesMax(lines: Line[]): number {
  let max = 0;
  for (const l of lines) for (const v of l.values) if (Number.isFinite(v) && v > max) max = v;
  return max;
}

let drawable: boolean | null = null;

/** Whether this browser has a 2D canvas (jsdom has none). */
function canDraw(): boolean {
  if (drawable === null) {
    try {
      drawable = !!document.createElement('canvas').getContext('2d');
    } catch {
      drawable = false;
    }
  }
  return drawable;
}

export function compact(v: number): string {
  if (v == null || Number.isNaN(v)) return '0';
  const a = Math.abs(v);
  if (a >= 1e9) return (v / 1e9).toFixed(1) + 'G';
  if (a >= 1e6) return (v / 1e6).toFixed(1) + 'M';
  if (a >= 1e3) return (v / 1e3).toFixed(1) + 'k';
  return Number.isInteger(v) ? String(v) : v.toFixed(1);
}
