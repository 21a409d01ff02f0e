import { describe, expect, it } from 'vitest';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { CLUSTER, fakeApi, renderApp } from '../testing';

describe('Login', () => {
  it('sends an anonymous visitor to the login page, then to the page asked for', async () => {
    let token: string | null = null;
    const fake = fakeApi({
      'GET /v3/auth/me': () => (token ? [200, { user: 'alice', security_enabled: true }] : [401, { title: 'Unauthorized' }]),
      'POST /v3/auth/token': (init) => {
        const body = JSON.parse(String(init.body));
        if (body.password !== 'right') return [401, { title: 'Unauthorized' }];
        token = 'jwt';
        return [200, { access_token: 'jwt', token_type: 'Bearer', expires_in: 900 }];
      },
      'GET /v3/clusters': [200, CLUSTER],
      'GET /v3/clusters/c1/consumer-groups': [200, { data: [] }],
    });
    const user = userEvent.setup();
    renderApp('/groups', fake.api);
    await user.type(await screen.findByLabelText('User'), 'alice');
    await user.type(screen.getByLabelText('Password'), 'wrong');
    await user.click(screen.getByRole('button', { name: 'Log in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Wrong user name or password.');

    await user.clear(screen.getByLabelText('Password'));
    await user.type(screen.getByLabelText('Password'), 'right');
    await user.click(screen.getByRole('button', { name: 'Log in' }));
    expect(await screen.findByRole('heading', { name: 'Consumer groups' })).toBeInTheDocument();
    expect(screen.getByTestId('current-user')).toHaveTextContent('alice');
    expect(sessionStorage.getItem('brook.token')).toBe('jwt');
  });

  it('says so when security is off, with no login needed', async () => {
    const fake = fakeApi({
      'GET /v3/auth/me': [200, { user: null, security_enabled: false }],
      'GET /v3/clusters': [200, CLUSTER],
      'GET /v3/clusters/c1/consumer-groups': [200, { data: [] }],
    });
    renderApp('/groups', fake.api);
    expect(await screen.findByText('security off')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Log out' })).not.toBeInTheDocument();
    expect(await screen.findByText(/No consumer groups/)).toBeInTheDocument();
  });
});
