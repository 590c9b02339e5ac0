// Starts `opencredit serve` on a free port and a temporary data dir, and a headless Chromium.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const webDir = resolve(here, '..');
export const screenshotDir = join(webDir, 'e2e', 'screenshots');

export interface Server {
  baseUrl: string;
  passwords: Map<string, string>;
  binary: string;
  dataDir: string;
  stop: () => Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => ok(port));
    });
  });
}

async function waitHealthy(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${log()}`);
    try {
      const r = await fetch(`${url}/healthz`);
      if (r.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server did not become healthy:\n${log()}`);
}

export async function startServer(): Promise<Server> {
  const binary = process.env.OC_BINARY;
  if (!binary) throw new Error('Set OC_BINARY to the opencredit binary');
  const dataDir = mkdtempSync(join(tmpdir(), 'oc-e2e-'));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  let output = '';
  const child = spawn(resolve(binary), ['serve', '--listen', `127.0.0.1:${port}`, '--data-dir', dataDir], {
    cwd: dataDir,
    env: { ...process.env, OPENCREDIT_SERVER_STATIC_DIR: join(webDir, 'dist') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  await waitHealthy(baseUrl, child, () => output);
  // The demo organisation prints its passwords once.
  const passwords = new Map<string, string>();
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && !passwords.has('am.liu')) {
    for (const m of output.matchAll(/demo account (\S+) \(([^)]+)\) password (\S+?)(?=["\s\\]|$)/g)) {
      if (m[1] && m[3]) passwords.set(m[1], m[3]);
    }
    if (!passwords.has('am.liu')) await new Promise((r) => setTimeout(r, 200));
  }
  if (!passwords.has('admin')) throw new Error(`no demo passwords in the log:\n${output}`);
  return {
    baseUrl,
    passwords,
    binary,
    dataDir,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Playwright gives each launch a fresh temporary profile (user data dir). */
export async function launchBrowser(): Promise<{ browser: Browser }> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return { browser };
}

/** Console errors and page errors, except the browser's own note about an expected HTTP error status. */
export class ConsoleWatch {
  readonly errors: string[] = [];
  attach(page: Page): void {
    page.on('console', (msg) => {
      if (msg.type() !== 'error') return;
      const text = msg.text();
      if (/Failed to load resource: the server responded with a status of (401|404|409|412|422|429)/.test(text)) return;
      this.errors.push(text);
    });
    page.on('pageerror', (err) => this.errors.push(`pageerror: ${err.message}`));
  }
}

export async function newPage(browser: Browser, baseUrl: string, watch: ConsoleWatch): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
  const page = await context.newPage();
  watch.attach(page);
  return { context, page };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.waitForLoadState('networkidle').catch(() => undefined);
  // A request error shows as a notification: a page that raised one is broken.
  const notices = await page.locator('.ant-notification-notice-error').allTextContents();
  if (notices.length > 0) throw new Error(`error notification on ${page.url()}: ${notices.join(' | ')}`);
  // Finished animations: a popup caught opening (or a page fading in) shows as it ends.
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true, animations: 'disabled' });
}

export async function login(page: Page, username: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('用户名').or(page.getByLabel('Username')).fill(username);
  await page.getByLabel('密码', { exact: true }).or(page.getByLabel('Password', { exact: true })).fill(password);
  await page.getByRole('button', { name: /^(登录|Sign in)$/ }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}
