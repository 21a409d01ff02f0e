import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/react';
import { TimeChart, compact } from './TimeChart';

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
});
