// Debian's Chromium driven by playwright-core, for the browser tests and the UI benchmark.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';

/**
 * Debian's headless build of Chromium (package chromium-headless-shell: the same Chromium, without
 * the windowing layer; what Playwright itself runs headless) where it is installed, else the full
 * browser. The full browser in headless mode keeps producing frames for an idle page; the shell
 * does not, and the browser tests cost about 40% less CPU on it.
 */
const HEADLESS_SHELL = '/usr/bin/chromium-headless-shell';
export const CHROMIUM_PATH =
  process.env.CHROMIUM_PATH ?? (existsSync(HEADLESS_SHELL) ? HEADLESS_SHELL : '/usr/bin/chromium');

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/**
 * A page with storage of its own. Motion is reduced, as a user's system setting does: the
 * spinner, the wall's ticker and its pulses stand still, so Chromium draws no frames for them
 * (about a fifth of what the wall's tests cost in CPU).
 */
export const blankPage = (browser: Browser, options: BrowserContextOptions = {}): Promise<Page> =>
  browser.newPage({ reducedMotion: 'reduce', ...options });

export const DESKTOP = { width: 1920, height: 1080 } as const;
export const PHONE = { width: 390, height: 844 } as const;

/** Signs in through the login form, as a user would. */
export async function signIn(
  page: Page,
  base: string,
  username: string,
  password: string,
  path = '/',
): Promise<void> {
  await page.goto(`${base}${path}`);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-view]');
}

/** Waits until no request is in flight and every chart on the page has finished drawing. */
export async function settled(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      if (document.documentElement.dataset.busy !== '0') return false;
      if (document.querySelector('.state.loading')) return false;
      return [...document.querySelectorAll('[data-chart-ready]')].every(
        (el) => el.getAttribute('data-chart-ready') === 'true',
      );
    },
    undefined,
    { timeout: 20_000, polling: 50 },
  );
}
