import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { CLUSTER, ME, fakeApi, renderApp } from '../testing';
import { filterTopics, parseConfigs } from './Topics';

const TOPICS = {
  data: [
    { topic_name: 'orders', is_internal: false, replication_factor: 3, partitions_count: 6, size_bytes: 2048 },
    { topic_name: 'payments', is_internal: false, replication_factor: 1, partitions_count: 1 },
    { topic_name: '__consumer_offsets', is_internal: true, replication_factor: 1, partitions_count: 50 },
  ],
};

describe('Topics page', () => {
  it('lists topics with sizes, hides internal ones, and searches from the address', async () => {
    const { api } = fakeApi({ 'GET /v3/auth/me': [200, ME], 'GET /v3/clusters': [200, CLUSTER], 'GET /v3/clusters/c1/topics': [200, TOPICS] });
    renderApp('/topics?q=ord', api);
    expect(await screen.findByRole('link', { name: 'orders' })).toBeInTheDocument();
    expect(screen.queryByText('payments')).not.toBeInTheDocument();
    expect(screen.queryByText('__consumer_offsets')).not.toBeInTheDocument();
    expect(within(screen.getByTestId('topic-row-orders')).getByText('2.0 KiB')).toBeInTheDocument();
  });

  it('deletes a topic only after its name is typed in the confirmation', async () => {
    let deleted = false;
    const { api, calls } = fakeApi({
      'GET /v3/auth/me': [200, ME],
      'GET /v3/clusters': [200, CLUSTER],
      'GET /v3/clusters/c1/topics': () => [200, deleted ? { data: TOPICS.data.slice(1) } : TOPICS],
      'DELETE /v3/clusters/c1/topics/orders': () => ((deleted = true), [204, undefined]),
    });
    const user = userEvent.setup();
    renderApp('/topics', api);
    await user.click(within(await screen.findByTestId('topic-row-orders')).getByRole('button', { name: 'Delete' }));
    const dialog = screen.getByRole('dialog');
    const confirm = within(dialog).getByRole('button', { name: 'Delete' });
    expect(confirm).toBeDisabled();
    await user.type(within(dialog).getByLabelText('confirmation'), 'orders');
    expect(confirm).toBeEnabled();
    await user.click(confirm);
    await waitFor(() => expect(screen.queryByTestId('topic-row-orders')).not.toBeInTheDocument());
    expect(calls.some((c) => c.method === 'DELETE' && c.url === '/v3/clusters/c1/topics/orders')).toBe(true);
  });

  it('creates a topic with partitions, replication and configs', async () => {
    const { api, calls } = fakeApi({
      'GET /v3/auth/me': [200, ME],
      'GET /v3/clusters': [200, CLUSTER],
      'GET /v3/clusters/c1/topics': [200, { data: [] }],
      'POST /v3/clusters/c1/topics': [201, { topic_name: 'fresh' }],
    });
    const user = userEvent.setup();
    renderApp('/topics', api);
    expect(await screen.findByText(/No topics yet/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Create topic' }));
    const form = screen.getByRole('form', { name: 'Create topic' });
    await user.type(within(form).getByLabelText('Name'), 'fresh');
    await user.clear(within(form).getByLabelText('Partitions'));
    await user.type(within(form).getByLabelText('Partitions'), '4');
    await user.type(within(form).getByLabelText('Replication factor'), '1');
    await user.type(within(form).getByLabelText(/Configs/), 'cleanup.policy=compact');
    await user.click(within(form).getByRole('button', { name: 'Create' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'POST')).toBe(true));
    expect(calls.find((c) => c.method === 'POST')!.body).toEqual({
      topic_name: 'fresh',
      partitions_count: 4,
      replication_factor: 1,
      configs: [{ name: 'cleanup.policy', value: 'compact' }],
    });
  });

  it('hides Create for a user without CREATE', async () => {
    const { api } = fakeApi({
      'GET /v3/auth/me': [200, { ...ME, operations: ['DESCRIBE'] }],
      'GET /v3/clusters': [200, CLUSTER],
      'GET /v3/clusters/c1/topics': [200, TOPICS],
    });
    renderApp('/topics', api);
    await screen.findByRole('link', { name: 'orders' });
    expect(screen.queryByRole('button', { name: 'Create topic' })).not.toBeInTheDocument();
  });

  it('shows the error state with a retry when the gateway fails', async () => {
    const { api } = fakeApi({
      'GET /v3/auth/me': [200, ME],
      'GET /v3/clusters': [200, CLUSTER],
      'GET /v3/clusters/c1/topics': [403, { title: 'Forbidden', detail: 'Not allowed to describe topics.', error_code: 40301 }],
    });
    renderApp('/topics', api);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Not allowed');
    expect(within(alert).getByRole('button', { name: 'Retry' })).toBeInTheDocument();
  });
});

describe('topic helpers', () => {
  it('filters case-insensitively and sorts', () => {
    expect(filterTopics(TOPICS.data, 'PAY', false).map((t) => t.topic_name)).toEqual(['payments']);
    expect(filterTopics(TOPICS.data, '', true).map((t) => t.topic_name)).toEqual(['__consumer_offsets', 'orders', 'payments']);
  });

  it('parses name=value lines and refuses others', () => {
    expect(parseConfigs('a=1\n\n# note\n b = x=y ')).toEqual([
      { name: 'a', value: '1' },
      { name: 'b', value: 'x=y' },
    ]);
    expect(() => parseConfigs('novalue')).toThrow(/name=value/);
  });
});
