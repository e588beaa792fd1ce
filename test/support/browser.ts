import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import packagedChromium from '@sparticuz/chromium';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { TestApp } from './test-app';

/**
 * The browser the console tests drive: `CHROMIUM_PATH` when set, the system's Chromium when the
 * machine has one, else the headless Chromium that the `@sparticuz/chromium` npm package ships, so
 * `npm ci && npm test` needs no apt and no browser download.
 */
const SYSTEM_CHROMIUM = '/usr/bin/chromium';

// Flags for a closed network: no background connections, no updates, no sync.
const CLOSED_NETWORK_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// The packaged Chromium's defaults are made for serverless hosts. These are left out: the first two
// weaken what the tests check (same-origin rules, mixed content); in one process, closing a
// browser context ends the whole browser.
const LEFT_OUT_ARGS = new Set([
  '--disable-web-security',
  '--allow-running-insecure-content',
  '--single-process',
]);

async function chromiumToLaunch(): Promise<{ executablePath: string; args: string[] }> {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) {
    if (!existsSync(configured)) throw new Error(`CHROMIUM_PATH names ${configured}, which does not exist`);
    return { executablePath: configured, args: CLOSED_NETWORK_ARGS };
  }
  if (existsSync(SYSTEM_CHROMIUM)) return { executablePath: SYSTEM_CHROMIUM, args: CLOSED_NETWORK_ARGS };
  const args = packagedChromium.args.filter((arg) => !LEFT_OUT_ARGS.has(arg));
  return {
    executablePath: await packagedChromium.executablePath(),
    args: [...new Set([...args, ...CLOSED_NETWORK_ARGS])],
  };
}

export const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts', 'console');

export async function launchBrowser(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const { executablePath, args } = await chromiumToLaunch();
  return chromium.launch({ executablePath, headless: true, args });
}

/** The test application listening on a real port, as a browser needs. */
export async function listen(t: TestApp): Promise<string> {
  await t.app.listen(0, '127.0.0.1');
  const { port } = t.app.getHttpServer().address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/**
 * Every form control a user can reach has an accessible name (a label, or aria-label), and the
 * page has one main heading: what a screen-reader user needs to work the form.
 */
export async function unlabelledControls(page: Page): Promise<string[]> {
  return page.$$eval('input:not([type=hidden]), select, textarea', (controls) =>
    controls

      .filter(
        (control: any) =>
          !(control.labels && control.labels.length > 0) &&
          !control.getAttribute('aria-label') &&
          !control.getAttribute('aria-labelledby'),
      )
      .map((control: any) => control.name || control.outerHTML.slice(0, 80)),
  );
}
