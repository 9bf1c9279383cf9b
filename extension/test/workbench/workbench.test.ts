// Integration tests in a real VS Code workbench: code-server (the npm package, a real workbench and extension
// host) serving a workspace, driven by Debian's chromium through playwright-core, with the built .vsix
// installed (see ../shared/notes/vscode-workbench-tests.md). They run "AutoEdit: Run Pipeline" from the
// Command Palette on generated media, read the tree, see a schema error in autoedit.rules.json, and cut a word
// in the transcript webview. Screenshots go to extension/test/.artifacts/. Skipped, with the reason, when
// code-server or chromium is missing (`bash extension/scripts/install-workbench.sh` installs them).
import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sample } from '../../../engine/test/helpers/samples.js';
import { tinyModel } from '../../../engine/test/speech/tiny-model.js';

const EXT = resolve(import.meta.dirname, '..', '..');
const BENCH = join(EXT, 'test', '.workbench');
const NODE24 = join(BENCH, 'node24', 'node_modules', 'node', 'bin', 'node');
const CODE_SERVER = join(BENCH, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const CHROMIUM = process.env.AUTOEDIT_CHROMIUM ?? '/usr/bin/chromium';
const ARTIFACTS = join(EXT, 'test', '.artifacts');

type Page = import('playwright-core').Page;
type Browser = import('playwright-core').Browser;

function missing(): string | undefined {
  if (!existsSync(CHROMIUM)) return `chromium not found at ${CHROMIUM} (apt-get install chromium)`;
  if (!existsSync(NODE24)) return `Node 24 not found at ${NODE24}`;
  if (!existsSync(CODE_SERVER)) return `code-server not found at ${CODE_SERVER}`;
  if (!existsSync(join(BENCH, 'node_modules', 'playwright-core'))) return 'playwright-core not installed';
  return undefined;
}

const freePort = () =>
  new Promise<number>((res) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
  });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, fn: () => T | undefined | false, ms = 120_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

/** The newest .vsix in extension/, built by `npm run package` when there is none. */
function vsix(): string {
  const find = () =>
    readdirSync(EXT)
      .filter((f) => f.endsWith('.vsix'))
      .map((f) => join(EXT, f))
      .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  let file = find();
  if (!file || process.env.AUTOEDIT_REPACKAGE) {
    execFileSync(process.execPath, [join(EXT, 'scripts', 'package.mjs')], { stdio: 'inherit' });
    file = find();
  }
  assert.ok(file, 'no .vsix after npm run package');
  return file;
}

describe('VS Code workbench (code-server + chromium)', function () {
  this.timeout(600_000);
  let server: ChildProcess | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let ws: string;
  let serverLog = '';

  const shot = async (name: string) => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
  };

  async function palette(command: string): Promise<void> {
    for (let attempt = 0; attempt < 2; attempt++) {
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible', timeout: 15_000 });
      await input.fill(`>${command}`);
      const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: command }).first();
      try {
        await row.waitFor({ timeout: 10_000 });
        await page.keyboard.press('Enter');
        return;
      } catch {
        await page.keyboard.press('Escape');
      }
    }
    throw new Error(`command "${command}" is not in the Command Palette`);
  }

  const notification = (text: string | RegExp) =>
    page
      .locator('.notifications-toasts .notification-toast .notification-list-item-message', { hasText: text })
      .first();

  before(async function () {
    const why = missing();
    if (why) {
      console.log(
        `    skipped: ${why}. Run bash extension/scripts/install-workbench.sh to install code-server and chromium.`,
      );
      this.skip();
    }
    const pkg = vsix();
    const root = mkdtempSync(join(tmpdir(), 'autoedit-workbench-'));
    ws = join(root, 'shoot');
    const ud = join(root, 'user-data');
    const exts = join(root, 'extensions');
    const xdg = join(root, 'xdg');
    mkdirSync(join(ud, 'User'), { recursive: true });
    mkdirSync(ws, { recursive: true });
    copyFileSync(sample('talk'), join(ws, 'talk.mp4'));
    writeFileSync(join(ws, 'autoedit.rules.json'), '{\n  "min_clip": 0.2\n}\n');
    const model = await tinyModel();
    writeFileSync(
      join(ud, 'User', 'settings.json'),
      JSON.stringify({
        'workbench.startupEditor': 'none',
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
        'workbench.tips.enabled': false,
        'extensions.ignoreRecommendations': true,
        'autoedit.whisperModel': model,
      }),
    );
    const cfg = join(root, 'config.yaml');
    writeFileSync(cfg, 'auth: none\ncert: false\n');
    const env = { ...process.env, XDG_DATA_HOME: xdg, XDG_CONFIG_HOME: xdg, EXTENSIONS_GALLERY: '{}' };
    execFileSync(
      NODE24,
      [
        CODE_SERVER,
        '--config',
        cfg,
        '--user-data-dir',
        ud,
        '--extensions-dir',
        exts,
        '--install-extension',
        pkg,
      ],
      {
        env,
        stdio: 'pipe',
      },
    );
    const port = await freePort();
    server = spawn(
      NODE24,
      [
        CODE_SERVER,
        '--config',
        cfg,
        '--bind-addr',
        `127.0.0.1:${port}`,
        '--auth',
        'none',
        '--user-data-dir',
        ud,
        '--extensions-dir',
        exts,
        '--disable-telemetry',
        '--disable-update-check',
        '--disable-workspace-trust',
        '--reconnection-grace-time',
        '5',
        ws,
      ],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    server.stdout?.on('data', (c) => (serverLog += c));
    server.stderr?.on('data', (c) => (serverLog += c));
    await until('code-server to listen', () => serverLog.includes('HTTP server listening'), 60_000);

    const { chromium } = createRequire(join(BENCH, 'package.json'))(
      'playwright-core',
    ) as typeof import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox'],
      env: { ...process.env, XDG_CONFIG_HOME: xdg, XDG_CACHE_HOME: xdg },
    });
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      return url.hostname === '127.0.0.1' || url.protocol === 'data:' || url.protocol === 'blob:'
        ? route.continue()
        : route.abort();
    });
    page = await context.newPage();
    // Generous: on a loaded 2-core machine the workbench takes minutes, not the usual 15 s.
    page.setDefaultTimeout(120_000);
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(ws)}`, {
      timeout: 300_000,
      waitUntil: 'domcontentloaded',
    });
    await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 120_000 });
    // The extension is ready when its container is in the activity bar (activates on autoedit.rules.json).
    await page.locator('.part.activitybar a[aria-label^="AutoEdit"]').waitFor({ timeout: 120_000 });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page)
      await shot(`failed-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => {});
  });

  after(async () => {
    await browser?.close().catch(() => {});
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await Promise.race([new Promise((r) => server?.once('exit', r)), sleep(5000)]);
      if (server.exitCode === null) server.kill('SIGKILL');
    }
    if (ws && !process.env.AUTOEDIT_KEEP_WORKBENCH) rmSync(join(ws, '..'), { recursive: true, force: true });
  });

  it('"AutoEdit: Run Pipeline" runs on the folder’s media and the tree shows finished stages and the selection’s reasons', async () => {
    await palette('AutoEdit: Run Pipeline');
    await notification(/AutoEdit: Run Pipeline \(talk\) finished/).waitFor({ timeout: 300_000 });
    assert.ok(existsSync(join(ws, 'runs', 'talk', 'outputs', 'talk.mlt')), 'the timeline was exported');
    await shot('1-pipeline-finished');

    await page.locator('.part.activitybar a[aria-label^="AutoEdit"]').click();
    const rows = page.locator('#workbench\\.parts\\.sidebar .monaco-list-row');
    const row = (label: string) =>
      rows.filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${label}$`) }) }).first();
    await row('talk').waitFor({ timeout: 30_000 });
    for (const stage of ['ingest', 'scenes', 'stt', 'select', 'export']) {
      await row(stage).waitFor({ timeout: 30_000 });
      assert.match((await row(stage).textContent()) ?? '', /done|cached/, `${stage} row`);
    }
    await row('select').click();
    await row('Kept \\(\\d+\\)')
      .click()
      .catch(async () => {
        await rows
          .filter({ hasText: /Kept \(\d+\)/ })
          .first()
          .click();
      });
    await rows
      .filter({ hasText: /speech/ })
      .first()
      .waitFor({ timeout: 15_000 });
    await shot('2-tree-selection-reasons');
  });

  it('a wrong value in autoedit.rules.json shows a schema problem from the bundled schema', async () => {
    const rules = join(ws, 'autoedit.rules.json');
    const valid = readFileSync(rules, 'utf8');
    writeFileSync(rules, '{\n  "min_clip": "long",\n  "speech": { "source": "guess" }\n}\n');
    try {
      await page.keyboard.press('Control+P');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible' });
      await input.fill('autoedit.rules.json');
      await page
        .locator('.quick-input-widget .monaco-list-row', { hasText: 'autoedit.rules.json' })
        .first()
        .waitFor();
      await page.keyboard.press('Enter');
      // JSON schema problems are warnings in VS Code (json.validate), squiggled in the editor.
      const squiggles = page.locator('.monaco-editor .squiggly-warning, .monaco-editor .squiggly-error');
      await squiggles.first().waitFor({ timeout: 60_000 });
      assert.ok((await squiggles.count()) >= 2, 'both wrong values are marked');
      await page.keyboard.press('Control+Shift+M'); // Problems panel: the messages come from the bundled schema
      await page
        .locator('.markers-panel .monaco-list-row', { hasText: /Incorrect type|Value is not accepted/ })
        .first()
        .waitFor({ timeout: 30_000 });
      await shot('3-rules-schema-error');
    } finally {
      writeFileSync(rules, valid);
    }
    await page
      .locator('.monaco-editor .squiggly-warning')
      .first()
      .waitFor({ state: 'detached', timeout: 60_000 });
  });

  it('cutting a word in the transcript webview writes the rules file and changes the exported timeline', async () => {
    const rules = join(ws, 'autoedit.rules.json');
    const mlt = join(ws, 'runs', 'talk', 'outputs', 'talk.mlt');
    const mltBefore = readFileSync(mlt, 'utf8');
    await palette('AutoEdit: Open Transcript');
    const view = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    const kept = view.locator('.word.kept');
    await kept.first().waitFor({ timeout: 60_000 });
    // The longest kept word (the tiny model's words can have no duration, and those cannot be cut).
    const spans = await kept.evaluateAll((els) =>
      els.map((e) => Number(e.dataset.end) - Number(e.dataset.start)),
    );
    const longest = spans.indexOf(Math.max(...spans));
    assert.ok(spans[longest]! > 0, 'a kept word with a duration');
    const word = kept.nth(longest);
    const index = Number(await word.getAttribute('data-index'));
    await word.click();
    await shot('4-transcript-before-cut');
    await view.locator('#cut').click();
    await until(
      'the rules file to get the cut',
      () => /"transcript_cuts"/.test(readFileSync(rules, 'utf8')),
      60_000,
    );
    const written = JSON.parse(readFileSync(rules, 'utf8'));
    assert.deepEqual(written.transcript_cuts, [{ source: 'talk.mp4', word: index }]);
    assert.equal(written.min_clip, 0.2, 'the other rules are kept');
    await until('the timeline to be exported again', () => readFileSync(mlt, 'utf8') !== mltBefore, 180_000);
    await view.locator(`.word.cut.user[data-index="${index}"]`).waitFor({ timeout: 60_000 });
    // The tree follows: select and export are fresh again (not stale against the edited rules).
    const rows = page.locator('#workbench\\.parts\\.sidebar .monaco-list-row');
    for (const stage of ['select', 'export']) {
      const row = rows
        .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${stage}$`) }) })
        .first();
      const t0 = Date.now();
      while (!/done|cached/.test((await row.textContent()) ?? '')) {
        assert.ok(Date.now() - t0 < 60_000, `${stage} row: ${await row.textContent()}`);
        await sleep(500);
      }
    }
    await shot('5-transcript-after-cut');
  });
});
