// Signing in, in a real browser, on a server started with built-in users: the page sends a
// stranger to the login form, a wrong password says so, the right one lands on the page asked
// for, under the production CSP.
import { expect, test } from '@playwright/test';
import { hashPassword } from '../server/auth/passwords';
import { SearchBar } from './components/search-bar';
import { LoginPage } from './pages/login-page';
import { serverUrl } from './seed';
import { startServer, type ServerProcess } from '../server/testing/server-process';
import { tempDir } from '../server/testing/temp-dir';

let server: ServerProcess;
let cleanup: () => Promise<void>;

test.beforeAll(async () => {
  let dir: string;
  ({ dir, cleanup } = await tempDir());
  server = await startServer({ LOGPOND_DATA_DIR: dir, LOGPOND_DEMO: '0', LOGPOND_AUTH_USERS: `alice:${await hashPassword('correct horse')} bob:${await hashPassword('battery staple')}` });
});
test.afterAll(async () => {
  await server?.stop();
  await cleanup?.();
});

test('a stranger signs in and lands on the search they asked for', async ({ page }) => {
  const blocked: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) blocked.push(message.text());
  });
  await page.goto(`${server.url}/?q=timeout`);
  await expect(page).toHaveURL(/\/login\?next=%2F%3Fq%3Dtimeout$/);
  await page.getByLabel('User').fill('alice');
  await page.getByLabel('Password').fill('wrong horse');
  await page.getByRole('button', { name: 'Sign in' }).click();
  // (Next's route announcer is an alert too, so the message is found by its text.)
  await expect(page.getByText('Unknown user or wrong password.')).toBeVisible();
  // Asked again for the password alone, as Kibana and Grafana do.
  await expect(page.getByLabel('User')).toHaveValue('alice');
  await expect(page.getByLabel('Password')).toBeFocused();
  await page.keyboard.type('correct horse');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(`${server.url}/?q=timeout`);
  await expect(new SearchBar(page).input).toHaveValue('timeout');
  expect(blocked).toEqual([]);

  // A bookmarked login page, opened while signed in, asks for nothing: it goes where it was sent.
  await page.goto(`${server.url}/login?next=${encodeURIComponent('/?q=latency')}`);
  await expect(page).toHaveURL(`${server.url}/?q=latency`);
  await expect(new SearchBar(page).input).toHaveValue('latency');
});

test('with sign-in off the login page sends the browser on to the page', async ({ page }) => {
  await page.goto(`${serverUrl()}/login?next=${encodeURIComponent('/?q=latency')}`);
  await expect(page).toHaveURL(`${serverUrl()}/?q=latency`);
  await expect(new SearchBar(page).input).toHaveValue('latency');
});

test('a signed-in user sees who they are, signs out from the page, and the page asks for a sign-in again', async ({ page, context }) => {
  await page.goto(`${server.url}/?q=timeout`);
  await new LoginPage(page).signIn('alice', 'correct horse');
  await expect(page).toHaveURL(`${server.url}/?q=timeout`);
  const account = page.getByRole('region', { name: 'Account' });
  await expect(account).toContainText('alice');
  const signedIn = (await context.cookies()).find((c) => c.name === 'logpond_session');
  expect(signedIn).toBeDefined();

  await account.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(`${server.url}/login`);
  await expect(page.getByLabel('User')).toBeVisible();
  await page.goto(`${server.url}/?q=timeout`);
  await expect(page).toHaveURL(/\/login\?next=/);
  // A copy of the old cookie opens nothing any more: signing out ended the session on the server.
  await context.addCookies([signedIn!]);
  await page.goto(`${server.url}/?q=timeout`);
  await expect(page).toHaveURL(/\/login\?next=/);
});

test('a page left open after signing out elsewhere goes to the login form, and back to its view after signing in', async ({ page, context }) => {
  await page.goto(`${server.url}/?q=timeout`);
  await new LoginPage(page).signIn('alice', 'correct horse');
  await expect(page).toHaveURL(`${server.url}/?q=timeout`);
  await expect(page.getByRole('region', { name: 'Account' })).toContainText('alice');

  const other = await context.newPage();
  await other.goto(`${server.url}/`);
  await other.getByRole('region', { name: 'Account' }).getByRole('button', { name: 'Sign out' }).click();
  await expect(other).toHaveURL(`${server.url}/login`);

  // The first page's next request (the status line's, every 2 s) finds the session ended.
  await expect(page).toHaveURL(`${server.url}/login?next=%2F%3Fq%3Dtimeout`);
  await new LoginPage(page).signIn('alice', 'correct horse');
  await expect(page).toHaveURL(`${server.url}/?q=timeout`);
  await expect(new SearchBar(page).input).toHaveValue('timeout');
});

test('a page open while someone else signs in in another tab names who is signed in now', async ({ page, context }) => {
  await page.goto(`${server.url}/`);
  await new LoginPage(page).signIn('alice', 'correct horse');
  const account = page.getByRole('region', { name: 'Account' });
  await expect(account).toContainText('alice');
  // Its status line must not ask in the moment between the two sessions: that sends it to the
  // login form, which is right, but another case.
  await page.route('**/api/status', (route) => route.abort());
  const other = await context.newPage();
  await other.goto(`${server.url}/`);
  await other.getByRole('region', { name: 'Account' }).getByRole('button', { name: 'Sign out' }).click();
  await expect(other).toHaveURL(`${server.url}/login`);
  await new LoginPage(other).signIn('bob', 'battery staple');
  await expect(other.getByRole('region', { name: 'Account' })).toContainText('bob');
  await page.unroute('**/api/status');
  // The reads the first page makes now are bob's: so is the name it shows.
  await expect(account).toContainText('bob');
});

test('a sign-in the server was too busy to take says so on the login page, with the form to try again', async ({ page }) => {
  await page.goto(`${server.url}/login?error=busy`);
  await expect(page.getByText('Too many sign-ins at once: try again in a moment.')).toBeVisible();
  await expect(page.getByText('Unknown user or wrong password.')).toHaveCount(0);
  await expect(page.getByLabel('User')).toBeVisible();
  // A code the page does not know is no message of its own.
  await page.goto(`${server.url}/login?error=constructor`);
  await expect(page.getByText('Unknown user or wrong password.')).toBeVisible();
});
