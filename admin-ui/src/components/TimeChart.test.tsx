import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/react';
import { TimeChart, compact, seriesMax } from './TimeChart';

describe('TimeChart', () => {
  it('waits for two samples before drawing a time axis', () => {
    const { rerender } = render(<TimeChart times={[1000]} lines={[{ label: 'lag', values: [4], color: '#000' }]} />);
    expect(screen.getByText('Collecting samples…')).toBeInTheDocument();
    expect(screen.getByTestId('chart')).not.toBeVisible();
    rerender(<TimeChart times={[1000, 6000]} lines={[{ label: 'lag', values: [4, 1200], color: '#000' }]} />);
    expect(screen.queryByText('Collecting samples…')).not.toBeInTheDocument();
    expect(screen.getByText('latest lag: 1.2k')).toBeInTheDocument();
  });

  it('writes large numbers compactly', () => {
    expect([compact(12), compact(1500), compact(2_500_000), compact(0.25)]).toEqual(['12', '1.5k', '2.5M', '0.3']);
  });

  it('says how many samples it holds, their largest value, and that jsdom draws nothing', () => {
    const { rerender } = render(<TimeChart testId="chart-lag" times={[]} lines={[{ label: 'lag', values: [], color: '#000' }]} />);
    const chart = screen.getByTestId('chart-lag');
    expect(chart).toHaveAttribute('data-samples', '0');
    expect(chart).toHaveAttribute('data-max', '0');
    rerender(<TimeChart testId="chart-lag" times={[1000, 6000, 11000]} lines={[{ label: 'lag', values: [0, 7, 3], color: '#000' }]} />);
    expect(chart).toHaveAttribute('data-samples', '3');
    expect(chart).toHaveAttribute('data-max', '7');
    // No 2D canvas in jsdom: the numbers are shown, no uPlot is made.
    expect(chart).toHaveAttribute('data-drawn', 'false');
    expect(screen.getByText('latest lag: 3')).toBeInTheDocument();
  });

  it('takes the largest finite value over every line', () => {
    const line = (values: number[]) => ({ label: 'x', values, color: '#000' });
    expect(seriesMax([])).toBe(0);
    expect(seriesMax([line([0, 0])])).toBe(0);
    expect(seriesMax([line([1, 2.5]), line([NaN, Infinity, 2])])).toBe(2.5);
    expect(seriesMax([line([-3, -1])])).toBe(0);
  });
});
