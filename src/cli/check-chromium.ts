import { chromiumExists, chromiumPath } from './chromium';

// The browser tests need a real Chromium. Stop at once with the way to get one, not a stack trace.
if (!chromiumExists()) {
  console.error(`
Browser tests need Chromium, and none was found at ${chromiumPath()}.

  Debian/Ubuntu:   sudo apt-get install -y chromium
  Another build:   GENGRAPH_CHROMIUM=/path/to/chrome npm test

(Playwright's own browser download is not used.)
`);
  process.exit(1);
}
