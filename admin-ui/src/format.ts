/** Display helpers. */
import type { RecordData } from './api/types';

export function bytes(n: number | null | undefined): string {
  if (n === null || n === undefined || Number.isNaN(n)) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

export function count(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—';
  return n.toLocaleString('en-US');
}

export function rate(n: number | null | undefined, unit = '/s'): string {
  if (n === null || n === undefined || Number.isNaN(n)) return '—';
  return `${n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1)}${unit}`;
}

/** A key or value as text: JSON pretty-free, strings as they are, binary as base64. */
export function recordText(d: RecordData | null | undefined): string {
  if (!d || d.data === null || d.data === undefined) return 'null';
  if (d.type === 'JSON') return JSON.stringify(d.data);
  return String(d.data);
}

export function time(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}
