import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { CLUSTER, ME, fakeApi, renderApp } from '../testing';
import { aclEntry, groupAcls } from './Security';

const ACL = {
  resource_type: 'TOPIC',
  resource_name: 'orders',
  pattern_type: 'LITERAL',
  principal: 'User:bob',
  host: '*',
  operation: 'WRITE',
  permission: 'ALLOW',
};

describe('ACLs', () => {
  it('are shown as kafka-acls --list shows them', () => {
    expect(groupAcls([ACL, { ...ACL, operation: 'READ' }])).toEqual([
      { pattern: 'ResourcePattern(resourceType=TOPIC, name=orders, patternType=LITERAL)', acls: [ACL, { ...ACL, operation: 'READ' }] },
    ]);
    expect(aclEntry(ACL)).toBe('(principal=User:bob, host=*, operation=WRITE, permissionType=ALLOW)');
  });

  it('are filtered from the address and created from the form', async () => {
    const { api, calls } = fakeApi({
      'GET /v3/auth/me': [200, ME],
      'GET /v3/clusters': [200, CLUSTER],
      'GET /v3/clusters/c1/acls?principal=User%3Abob': [200, { data: [ACL] }],
      'POST /v3/clusters/c1/acls': [201, undefined],
    });
    const user = userEvent.setup();
    renderApp('/security/acls?principal=User:bob', api);
    expect(await screen.findByText(/ResourcePattern\(resourceType=TOPIC, name=orders/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Create ACL' }));
    const form = screen.getByRole('form', { name: 'Create ACL' });
    await user.type(within(form).getByLabelText(/Resource name/), 'payments');
    await user.type(within(form).getByLabelText('Principal'), 'carol');
    await user.selectOptions(within(form).getByLabelText('Operation'), 'DESCRIBE');
    await user.click(within(form).getByRole('button', { name: 'Create' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'POST')).toBe(true));
    expect(calls.find((c) => c.method === 'POST')!.body).toEqual({
      resource_type: 'TOPIC',
      resource_name: 'payments',
      pattern_type: 'LITERAL',
      principal: 'User:carol',
      host: '*',
      operation: 'DESCRIBE',
      permission: 'ALLOW',
    });
  });

  it('offer no changes to a user without ALTER', async () => {
    const { api } = fakeApi({
      'GET /v3/auth/me': [200, { ...ME, operations: ['DESCRIBE'] }],
      'GET /v3/clusters': [200, CLUSTER],
      'GET /v3/clusters/c1/acls': [200, { data: [ACL] }],
    });
    renderApp('/security/acls', api);
    await screen.findByTestId('acls');
    expect(screen.queryByRole('button', { name: 'Create ACL' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Delete' })).not.toBeInTheDocument();
  });
});
