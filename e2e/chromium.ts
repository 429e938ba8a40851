// Where the system Chromium is: LOGPOND_CHROMIUM, else the usual Debian and Ubuntu paths.
import fs from 'node:fs';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export function chromiumPath(): string {
  const chosen = process.env.LOGPOND_CHROMIUM || CANDIDATES.find((p) => fs.existsSync(p));
  if (!chosen || !fs.existsSync(chosen)) {
    throw new Error(
      `no Chromium found (looked at ${process.env.LOGPOND_CHROMIUM ?? CANDIDATES.join(', ')}): install one (apt-get install -y chromium) or set LOGPOND_CHROMIUM`,
    );
  }
  return chosen;
}

/** What every browser test launches Chromium with (a container: no sandbox, no GPU, no updates). */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'];
