// Starts a real `sentinel up` on free loopback ports with a temporary data dir, and a
// headless Debian Chromium through playwright-core (never a downloaded browser).
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, createWriteStream, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const UI_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_ROOT = resolve(UI_DIR, '..');
export const ARTIFACTS = join(UI_DIR, 'test-artifacts', 'e2e');

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export function findBinary() {
  const candidates = [process.env.SENTINEL_BIN, join(REPO_ROOT, 'build-asan', 'sentinel'), join(REPO_ROOT, 'build', 'sentinel')];
  for (const c of candidates) if (c && existsSync(c)) return c;
  throw new Error(`no sentinel binary: set SENTINEL_BIN or build one (tried ${candidates.filter(Boolean).join(', ')})`);
}

export function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function startSentinel({ extraArgs = [], env = {}, dataDir } = {}) {
  const bin = findBinary();
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'sentinel-e2e-'));
  const [apiPort, uiPort] = [await freePort(), await freePort()];
  mkdirSync(ARTIFACTS, { recursive: true });
  const log = createWriteStream(join(ARTIFACTS, 'sentinel.log'));
  const child = spawn(
    bin,
    ['up', '--data-dir', dir, '--database-url', `sqlite://${dir}/sentinel.db`, '--api-port', String(apiPort), '--ui-port', String(uiPort), '--bind', '127.0.0.1', ...extraArgs],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, SENTINEL_UI_DIR: join(UI_DIR, 'dist'), ASAN_OPTIONS: 'detect_leaks=0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let exited = null;
  child.on('exit', (code, sig) => (exited = { code, sig }));
  const api = `http://127.0.0.1:${apiPort}`;
  const ui = `http://127.0.0.1:${uiPort}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`sentinel up exited (${JSON.stringify(exited)}); see ${join(ARTIFACTS, 'sentinel.log')}`);
    try {
      const [h, u] = await Promise.all([fetch(`${api}/health`), fetch(`${ui}/`)]);
      if (h.ok && u.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('sentinel up did not become healthy within 60 s');
    await sleep(250);
  }
  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      for (let i = 0; i < 100 && !exited; i++) await sleep(100);
      if (!exited) child.kill('SIGKILL');
    }
    if (!dataDir) rmSync(dir, { recursive: true, force: true });
  };
  return { api, ui, dir, stop, child };
}

export async function launchBrowser() {
  // playwright-core gives each launch a fresh temporary profile (--user-data-dir) and removes it.
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  return { browser, close: () => browser.close().catch(() => {}) };
}

export async function apiJson(api, path, init) {
  const res = await fetch(`${api}${path}`, init && { ...init, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(init.body) });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

// A git copy of a sample repository whose step timeouts are generous: the end-to-end test
// checks the dashboard, and a loaded machine must not turn its failing test into a timeout.
export function sampleCopy(sample, into) {
  const dir = join(into, `${sample}-e2e`);
  cpSync(join(REPO_ROOT, 'sample_repos', sample), dir, { recursive: true });
  const spec = join(dir, '.sentinel.yml');
  writeFileSync(spec, readFileSync(spec, 'utf8').replace(/timeout: \d+s/g, 'timeout: 180s'));
  const git = (...args) => execFileSync('git', ['-c', 'user.name=e2e', '-c', 'user.email=e2e@localhost', '-c', 'init.defaultBranch=main', ...args], { cwd: dir, stdio: 'ignore' });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '-m', 'e2e copy');
  return dir;
}
