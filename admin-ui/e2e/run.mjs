#!/usr/bin/env node
// End-to-end test of the dashboard in a real headless Chromium (Debian's `chromium`, driven by
// playwright-core), against a running gateway with security on. Started by the gateway's
// AdminUiIT, which prepares the users and a lagging consumer group; runnable by hand too:
//
//   node e2e/run.mjs http://localhost:8080
//
// Environment: BROOK_E2E_ADMIN / BROOK_E2E_ADMIN_PASSWORD (a super user), BROOK_E2E_USER /
// BROOK_E2E_USER_PASSWORD (a user with no ACLs), BROOK_E2E_GROUP and BROOK_E2E_GROUP_LAG (a
// group with committed offsets and that total lag), CHROMIUM (default /usr/bin/chromium),
// BROOK_E2E_SCREENSHOTS (default target/screenshots; its PNG files are replaced). Exit 0 when
// every step passed, 1 on a failure (with a screenshot of the page at the failure), 3 when
// Chromium is absent.
//
// The throughput and lag charts need at least two of the gateway's samples: run the gateway with
// a short brook.gateway.dashboard.sample-interval (AdminUiIT uses 1s), or the chart steps wait
// for two intervals of the default 5 s.
import { chromium } from 'playwright-core';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const base = (process.argv[2] ?? 'http://localhost:8080').replace(/\/$/, '');
const env = (name, fallback) => process.env[name] ?? fallback;
const admin = env('BROOK_E2E_ADMIN', 'admin');
const adminPassword = env('BROOK_E2E_ADMIN_PASSWORD', 'admin-secret');
const user = env('BROOK_E2E_USER', 'bob');
const userPassword = env('BROOK_E2E_USER_PASSWORD', 'bob-secret');
const group = env('BROOK_E2E_GROUP', '');
const groupLag = env('BROOK_E2E_GROUP_LAG', '');
const executablePath = env('CHROMIUM', '/usr/bin/chromium');
const shots = resolve(env('BROOK_E2E_SCREENSHOTS', join(here, '..', 'target', 'screenshots')));
const topic = `e2e-${Date.now().toString(36)}`;
// Generous: the tests share two cores with whole builds.
const TIMEOUT = 60_000;

if (!existsSync(executablePath)) {
  console.log(`e2e: SKIPPED, no Chromium at ${executablePath} (apt-get install chromium)`);
  process.exit(3);
}
mkdirSync(shots, { recursive: true });
// Only this run's screenshots: an earlier run's (perhaps under other names) would mislead.
for (const f of readdirSync(shots)) if (f.endsWith('.png')) rmSync(join(shots, f));

const step = (name) => console.log(`e2e: ${name}`);
const shot = async (page, name) => {
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
};
/** Waits for a condition on a value computed from outside the browser (HTTP API checks). */
async function until(what, check, ms = TIMEOUT) {
  const end = Date.now() + ms;
  let last;
  while (Date.now() < end) {
    last = await check();
    if (last === true) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out waiting for ${what} (last: ${last})`);
}

/** The gateway's HTTP API as one user, to check what the UI did: Basic auth, JSON. */
async function http(method, path, who, password, body) {
  const res = await fetch(base + path, {
    method,
    headers: {
      Authorization: 'Basic ' + Buffer.from(`${who}:${password}`).toString('base64'),
      'Content-Type': 'application/json',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/**
 * Waits until the chart `testId` (TimeChart's data attributes) is drawn by uPlot, on a canvas,
 * with at least two samples and, with `nonZero`, a value above zero; the failure says what the
 * chart last held.
 */
async function chartDrawn(page, testId, { nonZero = true } = {}) {
  const selector = `[data-testid="${testId}"]`;
  try {
    await page.waitForFunction(
      ([sel, nz]) => {
        const el = document.querySelector(sel);
        return (
          !!el &&
          el.dataset.drawn === 'true' &&
          Number(el.dataset.samples) >= 2 &&
          (!nz || Number(el.dataset.max) > 0) &&
          !!el.querySelector('.uplot canvas')
        );
      },
      [selector, nonZero],
      { timeout: TIMEOUT, polling: 250 },
    );
  } catch (e) {
    const seen = await page
      .locator(selector)
      .evaluate((el) => JSON.stringify({ ...el.dataset, text: el.textContent }))
      .catch(() => 'no such chart on the page');
    throw new Error(`chart ${testId} not drawn with data: ${seen}`);
  }
  return page.locator(selector).evaluate((el) => ({ samples: Number(el.dataset.samples), max: Number(el.dataset.max) }));
}

/** A size as the dashboard writes it (format.ts `bytes`), in bytes; null for '—' or other text. */
function parseSize(text) {
  const m = /^\s*([\d.]+) (B|KiB|MiB|GiB|TiB)\s*$/.exec(text ?? '');
  return m ? Number(m[1]) * 1024 ** ['B', 'KiB', 'MiB', 'GiB', 'TiB'].indexOf(m[2]) : null;
}

async function login(page, who, password) {
  await page.goto(`${base}/ui/`);
  await page.waitForURL(/\/ui\/login$/);
  await page.getByLabel('User', { exact: true }).fill(who);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByTestId('current-user').waitFor();
}

const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
const context = await browser.newContext({ viewport: { width: 1366, height: 820 } });
context.setDefaultTimeout(TIMEOUT);
const page = await context.newPage();
const consoleErrors = [];
page.on('pageerror', (e) => consoleErrors.push(String(e)));
// For the diagnosis of a failure: the API calls that failed or were slow to answer.
const slow = [];
page.on('requestfinished', async (r) => {
  const timing = r.timing();
  if (timing.responseEnd > 5000) slow.push(`${r.method()} ${new URL(r.url()).pathname} ${Math.round(timing.responseEnd)} ms`);
});
page.on('requestfailed', (r) => slow.push(`${r.method()} ${new URL(r.url()).pathname} failed: ${r.failure()?.errorText}`));
let current = page;

try {
  const cluster = (await http('GET', '/v3/clusters', admin, adminPassword)).body.data[0].cluster_id;

  step('the login page, and a wrong password refused');
  await page.goto(`${base}/ui/`);
  await page.waitForURL(/\/ui\/login$/);
  await shot(page, '01-login');
  await page.getByLabel('User', { exact: true }).fill(admin);
  await page.getByLabel('Password', { exact: true }).fill('not-the-password');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('alert').filter({ hasText: 'Wrong user name or password' }).waitFor();

  step('log in; the overview shows the cluster');
  await page.getByLabel('Password', { exact: true }).fill(adminPassword);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByTestId('cluster-id').filter({ hasText: cluster }).waitFor();
  await page.getByTestId('tile-brokers').filter({ hasText: /^\s*1/ }).waitFor();
  await shot(page, '02-overview');

  step('brokers');
  await page.getByRole('link', { name: 'Brokers' }).click();
  await page.waitForURL(/\/ui\/brokers$/);
  await page.locator('table tbody tr').first().waitFor();
  await shot(page, '03-brokers');
  await page.locator('table tbody tr a').first().click();
  await page.getByRole('heading', { name: 'Configs' }).waitFor();
  await page.locator('table tbody tr').first().waitFor();
  await shot(page, '04-broker');

  step(`create topic ${topic}`);
  await page.getByRole('link', { name: 'Topics' }).click();
  await page.getByRole('button', { name: 'Create topic' }).click();
  const form = page.getByRole('form', { name: 'Create topic' });
  await form.getByLabel('Name', { exact: true }).fill(topic);
  await form.getByLabel('Partitions', { exact: true }).fill('2');
  await form.getByLabel('Replication factor', { exact: true }).fill('1');
  await form.getByLabel(/Configs/).fill('retention.ms=3600000');
  await shot(page, '05-create-topic');
  await form.getByRole('button', { name: 'Create' }).click();
  await page.waitForURL(new RegExp(`/ui/topics/${topic}$`));
  await page.getByTestId('partition-1').waitFor();
  await shot(page, '06-topic');
  const made = await http('GET', `/v3/clusters/${cluster}/topics/${topic}/configs/retention.ms`, admin, adminPassword);
  if (made.status !== 200 || made.body.value !== '3600000') throw new Error(`topic config not set: ${JSON.stringify(made)}`);

  step('the topics list finds it by search');
  await page.goto(`${base}/ui/topics?q=${topic}`);
  await page.getByTestId(`topic-row-${topic}`).waitFor();
  await shot(page, '07-topics');

  step('live tail open in a second tab');
  // A window of its own (its own context), so that both pages render while the test acts on them.
  const tailContext = await browser.newContext({ viewport: { width: 1366, height: 820 } });
  tailContext.setDefaultTimeout(TIMEOUT);
  const tail = await tailContext.newPage();
  tail.on('pageerror', (e) => consoleErrors.push(String(e)));
  tail.on('requestfailed', (r) => slow.push(`tail: ${r.method()} ${new URL(r.url()).pathname} failed: ${r.failure()?.errorText}`));
  current = tail;
  await login(tail, admin, adminPassword);
  await tail.goto(`${base}/ui/topics/${topic}/messages?mode=tail`);
  await tail.getByTestId('tail-status').filter({ hasText: 'live' }).waitFor();

  step('produce from the UI, with a key and a header');
  current = page;
  await page.goto(`${base}/ui/topics/${topic}/messages?mode=produce`);
  let value;
  // The tail starts at the end once its consumer has its partitions; a record produced before
  // that is behind it, so produce until one shows (at most a few).
  for (let attempt = 1; ; attempt++) {
    value = `hello from the browser #${attempt}`;
    await page.getByLabel('Partition', { exact: true }).selectOption('0');
    await page.getByLabel('Key', { exact: true }).fill('k1');
    await page.getByLabel('Value', { exact: true }).fill(value);
    if (attempt === 1) await page.getByRole('button', { name: 'Add header' }).click();
    await page.getByLabel('header 1 name').fill('source');
    await page.getByLabel('header 1 value').fill('e2e');
    await page.getByRole('button', { name: 'Produce', exact: true }).click();
    await page.getByTestId('produce-result').filter({ hasText: /partition 0 at offset \d+/ }).waitFor();
    try {
      await tail.getByTestId('tail-records').getByText(value).waitFor({ timeout: 8000 });
      break;
    } catch (e) {
      if (attempt >= 4) throw e;
    }
  }
  await shot(page, '08-produce');
  await shot(tail, '09-live-tail');

  step('pause the tail: a record produced meanwhile is held, and shown on resume');
  await tail.getByRole('button', { name: 'Pause' }).click();
  await page.getByLabel('Value', { exact: true }).fill('while paused');
  await page.getByRole('button', { name: 'Produce', exact: true }).click();
  await tail.getByTestId('tail-held').filter({ hasText: '1 held' }).waitFor();
  if (await tail.getByTestId('tail-records').getByText('while paused').count()) throw new Error('a paused tail showed a record');
  await tail.getByRole('button', { name: 'Resume' }).click();
  await tail.getByTestId('tail-records').getByText('while paused').waitFor();
  await tailContext.close();
  current = page;

  step('browse partition 0 from offset 0 shows the record with its key and header');
  await page.goto(`${base}/ui/topics/${topic}/messages?mode=browse`);
  await page.getByLabel('Partition', { exact: true }).selectOption('0');
  await page.getByLabel('Offset', { exact: true }).fill('0');
  await page.getByRole('button', { name: 'Read' }).click();
  const row = page.getByTestId('browse-records').locator('tr', { hasText: value });
  await row.waitFor();
  await row.getByText('source=e2e').waitFor();
  await shot(page, '10-browse');

  step('search by value text, with progress');
  await page.goto(`${base}/ui/topics/${topic}/messages?mode=search`);
  await page.getByLabel('Text', { exact: true }).fill('paused');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByTestId('search-records').getByText('while paused').waitFor();
  await page.getByTestId('search-progress').filter({ hasText: /matched 1/ }).waitFor();
  await shot(page, '11-search');

  step('the topics list shows the size of the topic with records in it, and Brokers the log size');
  const topicBytes = (await http('GET', `/v3/clusters/${cluster}/topics/${topic}`, admin, adminPassword)).body.size_bytes;
  if (!(topicBytes > 0)) throw new Error(`the API has no size for ${topic}: ${topicBytes}`);
  await page.goto(`${base}/ui/topics?q=${topic}`);
  const sizeCell = page.getByTestId(`topic-size-${topic}`);
  await sizeCell.waitFor();
  const shownTopicSize = parseSize(await sizeCell.textContent());
  if (!(shownTopicSize > 0)) throw new Error(`topic size shown as "${await sizeCell.textContent()}"`);
  await shot(page, '12-topics-sizes');
  await page.goto(`${base}/ui/brokers`);
  const logSize = page.locator('[data-testid^="broker-log-size-"]').first();
  await logSize.waitFor();
  // The broker details load after the list: wait for the number.
  await until('the broker log size shown', async () => parseSize(await logSize.textContent()) > 0 || (await logSize.textContent()));
  await shot(page, '13-brokers-sizes');

  step("the overview charts messages and bytes per second from the gateway's samples");
  await page.getByRole('link', { name: 'Overview' }).click();
  const messages = await chartDrawn(page, 'chart-messages');
  const bytesChart = await chartDrawn(page, 'chart-bytes');
  step(`  messages/s: ${messages.samples} samples, peak ${messages.max}; bytes/s: ${bytesChart.samples} samples, peak ${bytesChart.max}`);
  await shot(page, '14-overview-throughput');

  if (group) {
    step(`consumer group ${group} shows its lag`);
    await page.goto(`${base}/ui/groups`);
    await page.getByRole('link', { name: group }).waitFor();
    await shot(page, '15-groups');
    await page.getByRole('link', { name: group }).click();
    await page.getByTestId('lag-table').waitFor();
    if (groupLag) await page.getByTestId('total-lag').filter({ hasText: new RegExp(`^${groupLag}$`) }).waitFor();
    step('its lag chart, from the gateway\'s lag samples');
    await until('two lag samples from the gateway', async () => {
      const h = await http('GET', `/v3/clusters/${cluster}/consumer-groups/${group}/lag-history`, admin, adminPassword);
      return (h.status === 200 && h.body.samples.length >= 2) || JSON.stringify(h.body);
    });
    const lag = await chartDrawn(page, 'chart-lag');
    if (groupLag && lag.max !== Number(groupLag)) throw new Error(`lag chart peak ${lag.max}, expected ${groupLag}`);
    step(`  lag: ${lag.samples} samples, peak ${lag.max}`);
    step('offset reset preview');
    await page.getByRole('form', { name: 'Reset offsets' }).getByLabel('To', { exact: true }).selectOption('latest');
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.getByTestId('reset-preview').waitFor();
    await shot(page, '16-group');
  }

  step(`ACL: ${user} may not produce to ${topic}, until an ACL made in the UI allows it`);
  const produceAs = () =>
    http('POST', `/v3/clusters/${cluster}/topics/${topic}/records`, user, userPassword, { value: { type: 'STRING', data: 'from ' + user } });
  const before = await produceAs();
  if (before.status !== 403) throw new Error(`expected 403 before the ACL, got ${before.status}`);
  await page.goto(`${base}/ui/security/acls`);
  await page.getByRole('button', { name: 'Create ACL' }).click();
  const acl = page.getByRole('form', { name: 'Create ACL' });
  await acl.getByLabel(/Resource name/).fill(topic);
  await acl.getByLabel('Principal', { exact: true }).fill(`User:${user}`);
  await acl.getByLabel('Operation', { exact: true }).selectOption('WRITE');
  await acl.getByRole('button', { name: 'Create' }).click();
  const entry = `(principal=User:${user}, host=*, operation=WRITE, permissionType=ALLOW)`;
  const card = page.locator('.acl-group', { hasText: `name=${topic}, patternType=LITERAL` });
  await card.getByText(entry).waitFor();
  await shot(page, '17-acls');
  await until(`${user}'s produce allowed`, async () => {
    const r = await produceAs();
    return r.status === 200 || r.status;
  });

  step('delete that ACL in the UI: the produce is refused again');
  await card.locator('li', { hasText: entry }).getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
  await card.waitFor({ state: 'detached' });
  await until(`${user}'s produce refused`, async () => {
    const r = await produceAs();
    return r.status === 403 || r.status;
  });

  step('users');
  await page.getByRole('link', { name: 'Users' }).click();
  await page.getByTestId('users').getByText(`User:${user}`).waitFor();

  // Made up here, never printed: the output must hold no password.
  const newUser = `e2e-user-${Date.now().toString(36)}`;
  const firstPassword = `first-${Math.random().toString(36).slice(2)}-Pw1`;
  const secondPassword = `second-${Math.random().toString(36).slice(2)}-Pw2`;
  const me = (password) => http('GET', '/v3/auth/me', newUser, password);
  const canLogIn = async (password) => {
    const r = await me(password);
    return r.status === 200 && r.body.user === newUser;
  };

  step(`create user ${newUser} in the UI; it can log in`);
  await page.getByRole('button', { name: 'Create user' }).click();
  const create = page.getByRole('dialog', { name: 'Create user' });
  await create.getByLabel('User name', { exact: true }).fill(newUser);
  await create.getByLabel('Password', { exact: true }).fill(firstPassword);
  await create.getByLabel('Password again', { exact: true }).fill(firstPassword);
  await shot(page, '18-user-create');
  await create.getByRole('button', { name: 'Save' }).click();
  await create.waitFor({ state: 'detached' });
  const userRow = page.getByTestId('users').locator('tr', { hasText: `User:${newUser}` });
  await userRow.waitFor();
  await shot(page, '19-users');
  await until(`${newUser} logging in with its password`, async () => (await canLogIn(firstPassword)) || (await me(firstPassword)).status);
  const token = await fetch(`${base}/v3/auth/token`, {
    method: 'POST',
    headers: { Authorization: 'Basic ' + Buffer.from(`${newUser}:${firstPassword}`).toString('base64') },
  });
  if (token.status !== 200 || !(await token.json()).access_token) throw new Error(`no token for ${newUser}: ${token.status}`);

  step(`change ${newUser}'s password in the UI: the old one refused, the new one accepted`);
  await userRow.getByRole('button', { name: 'Change password' }).click();
  const change = page.getByRole('dialog', { name: `New password for ${newUser}` });
  await change.getByLabel('Password', { exact: true }).fill(secondPassword);
  await change.getByLabel('Password again', { exact: true }).fill(secondPassword);
  await shot(page, '20-user-password');
  await change.getByRole('button', { name: 'Save' }).click();
  await change.waitFor({ state: 'detached' });
  await until('the old password refused', async () => (await me(firstPassword)).status === 401 || 'still accepted');
  await until('the new password accepted', async () => (await canLogIn(secondPassword)) || (await me(secondPassword)).status);

  step(`delete ${newUser} in the UI, confirmed: it can no longer log in`);
  await userRow.getByRole('button', { name: 'Delete' }).click();
  const confirmDelete = page.getByRole('dialog', { name: `Delete user ${newUser}?` });
  await confirmDelete.getByLabel('confirmation', { exact: true }).fill(newUser);
  await shot(page, '21-user-delete-confirm');
  await confirmDelete.getByRole('button', { name: 'Delete' }).click();
  await userRow.waitFor({ state: 'detached' });
  await until(`${newUser} refused`, async () => (await me(secondPassword)).status === 401 || 'still accepted');
  await shot(page, '22-users-after-delete');

  step('a phone-sized screen');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${base}/ui/topics/${topic}`);
  await page.getByTestId('partition-0').waitFor();
  await shot(page, '23-phone-topic');
  await page.getByRole('button', { name: 'Menu' }).click();
  await shot(page, '24-phone-menu');
  await page.setViewportSize({ width: 1366, height: 820 });

  step('delete the topic, confirmed by typing its name');
  await page.goto(`${base}/ui/topics/${topic}`);
  await page.getByRole('button', { name: 'Delete topic' }).click();
  await page.getByLabel('confirmation', { exact: true }).fill(topic);
  await shot(page, '25-delete-confirm');
  await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
  await page.waitForURL(/\/ui\/topics$/);
  await until('the topic gone', async () => (await http('GET', `/v3/clusters/${cluster}/topics/${topic}`, admin, adminPassword)).status === 404);

  step('log out');
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.waitForURL(/\/ui\/login$/);

  if (consoleErrors.length) throw new Error(`page errors: ${consoleErrors.join('; ')}`);
  console.log(`e2e: all steps passed; screenshots in ${shots}`);
  await browser.close();
  process.exit(0);
} catch (e) {
  console.log(`e2e: FAILED: ${e.message}`);
  if (slow.length) console.log(`e2e: slow or failed requests: ${slow.join('; ')}`);
  try {
    await shot(current, 'failure');
  } catch {
    // the page is gone
  }
  await browser.close();
  process.exit(1);
}
