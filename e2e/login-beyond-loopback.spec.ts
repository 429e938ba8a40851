// Signing in where the browser sends no Sec-Fetch-Site: plain HTTP on a host that is not
// loopback (Chromium sends Sec-Fetch-* only to https and loopback). The login's cross-site check
// then has only the Origin header, which the page's referrer policy decides. The host is a
// made-up name the browser resolves to the test server on 127.0.0.1, so no traffic leaves the
// machine while, to the browser, the site is an ordinary remote one.
import { expect, test } from '@playwright/test';
import { hashPassword } from '../server/auth/passwords';
import { startServer, type ServerProcess } from '../server/testing/server-process';
import { tempDir } from '../server/testing/temp-dir';
import { CHROMIUM_ARGS, chromiumPath } from './chromium';
import { SearchBar } from './components/search-bar';
import { LoginPage } from './pages/login-page';

const SITE_HOST = 'logpond.test';
const OTHER_HOST = 'elsewhere.test';

test.use({
  launchOptions: {
    executablePath: chromiumPath(),
    args: [...CHROMIUM_ARGS, `--host-resolver-rules=MAP ${SITE_HOST} 127.0.0.1, MAP ${OTHER_HOST} 127.0.0.1`],
  },
});

let server: ServerProcess;
let cleanup: () => Promise<void>;
let site: string;

test.beforeAll(async () => {
  let dir: string;
  ({ dir, cleanup } = await tempDir());
  server = await startServer({ LOGPOND_DATA_DIR: dir, LOGPOND_DEMO: '0', LOGPOND_AUTH_USERS: `alice:${await hashPassword('correct horse')}` });
  site = server.url.replace('127.0.0.1', SITE_HOST);
});
test.afterAll(async () => {
  await server?.stop();
  await cleanup?.();
});

test('a user signs in over plain HTTP on an address that is not loopback', async ({ page }) => {
  await page.goto(`${site}/?q=timeout`);
  await expect(page).toHaveURL(`${site}/login?next=%2F%3Fq%3Dtimeout`);
  const login = new LoginPage(page);
  await login.signIn('alice', 'wrong horse');
  await expect(login.failure).toBeVisible();
  await expect(login.user).toHaveValue('alice');
  await login.signIn('alice', 'correct horse');
  await expect(page).toHaveURL(`${site}/?q=timeout`);
  await expect(new SearchBar(page).input).toHaveValue('timeout');
});

// A look-alike form on another site posting the user's password to Logpond (login CSRF), once
// with that site's default referrer policy (Origin: its own) and once with none (Origin: null).
for (const referrer of ['strict-origin-when-cross-origin', 'no-referrer']) {
  test(`a sign-in posted from another site is refused (its referrer policy ${referrer})`, async ({ page }) => {
    await page.route(`http://${OTHER_HOST}/**`, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><meta name="referrer" content="${referrer}"><form method="post" action="${site}/api/auth/login">
          <label>User <input name="user"></label><label>Password <input name="password" type="password"></label>
          <button type="submit">Sign in</button></form>`,
      }),
    );
    await page.goto(`http://${OTHER_HOST}/`);
    await new LoginPage(page).signIn('alice', 'correct horse');
    await expect(page.getByText("sign in from this site's own login page")).toBeVisible();
    await page.goto(`${site}/`);
    await expect(page).toHaveURL(/\/login\?next=/);
  });
}
