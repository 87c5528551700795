// Debian's Chromium driven by playwright-core, for the browser tests and the UI benchmark.
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

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
