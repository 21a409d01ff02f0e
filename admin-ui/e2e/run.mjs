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
// BROOK_E2E_SCREENSHOTS (default target/screenshots). Exit 0 when every step passed, 1 on a
// failure (with a screenshot of the page at the failure), 3 when Chromium is absent.
import { chromium } from 'playwright-core';
import { existsSync, mkdirSync } from 'node:fs';
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

  if (group) {
    step(`consumer group ${group} shows its lag`);
    await page.goto(`${base}/ui/groups`);
    await page.getByRole('link', { name: group }).waitFor();
    await shot(page, '12-groups');
    await page.getByRole('link', { name: group }).click();
    await page.getByTestId('lag-table').waitFor();
    if (groupLag) await page.getByTestId('total-lag').filter({ hasText: new RegExp(`^${groupLag}$`) }).waitFor();
    step('offset reset preview');
    await page.getByRole('form', { name: 'Reset offsets' }).getByLabel('To', { exact: true }).selectOption('latest');
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.getByTestId('reset-preview').waitFor();
    await shot(page, '13-group');
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
  await shot(page, '14-acls');
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
  await shot(page, '15-users');

  step('a phone-sized screen');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${base}/ui/topics/${topic}`);
  await page.getByTestId('partition-0').waitFor();
  await shot(page, '16-phone-topic');
  await page.getByRole('button', { name: 'Menu' }).click();
  await shot(page, '17-phone-menu');
  await page.setViewportSize({ width: 1366, height: 820 });

  step('delete the topic, confirmed by typing its name');
  await page.goto(`${base}/ui/topics/${topic}`);
  await page.getByRole('button', { name: 'Delete topic' }).click();
  await page.getByLabel('confirmation', { exact: true }).fill(topic);
  await shot(page, '18-delete-confirm');
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
