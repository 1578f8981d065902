/**
 * The pages people open, in real headless Chromium (Debian's chromium, driven by playwright-core) against the
 * real embedded gateway over the seeded stores: the explorer renders, runs a query and shows its answer; the
 * /quality page shows exactly the numbers the API answers, with no console error, and only for admin and BI
 * tokens; production mode serves no explorer. Screenshots go to bench/tmp/ (not tracked). The browser tests run
 * where FUSION_TEST_CHROMIUM names a Chromium executable (.ci/run installs Debian's and sets it); the HTTP ones always.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startEmbeddedGateway, type RunningServer } from '../../../src/gateway';
import { configFromEnv, PROJECT_ROOT } from '../../../src/shared';
import { describeWithServices, serviceUrl } from '../../helpers/test-services';
import { as, startHardenedServer, type HardenedServer } from '../plugins/hardened-server';

const SCREENSHOTS = path.join(PROJECT_ROOT, 'bench', 'tmp', 'screenshots');
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let server: RunningServer;
let browser: Browser;
const origin = () => `http://127.0.0.1:${server.port}`;

beforeAll(async () => {
  server = await startEmbeddedGateway({ dataDir: configFromEnv().dataDir, port: 0, host: '127.0.0.1' });
}, 120_000);
afterAll(async () => server?.close());

/** Inside a browser describe: one Chromium for its tests. */
function useBrowser(): void {
  beforeAll(async () => {
    const executablePath = serviceUrl('chromium');
    if (!fs.existsSync(executablePath)) throw new Error(`FUSION_TEST_CHROMIUM=${executablePath}: no such file (apt-get install chromium)`);
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  }, 60_000);
  afterAll(async () => browser?.close());
}

/** A fresh page that records console errors and failed requests. */
async function openPage(): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`));
  return { page, problems };
}

const digits = (text: string | null) => Number((text ?? '').replace(/[^\d.-]/g, ''));

describeWithServices(['chromium'], 'the web explorer, in Chromium (development mode)', () => {
  useBrowser();
  test('GET /graphql from a browser is GraphiQL, served from this server only; it runs a query and shows the answer', async () => {
    const { page, problems } = await openPage();
    const outside: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(origin())) outside.push(request.url());
    });
    await page.goto(`${origin()}/graphql`);
    await page.locator('.graphiql-container').waitFor({ timeout: 30_000 });
    expect(await page.textContent('.banner')).toContain('token --role admin');
    await page.locator('.graphiql-execute-button').click();
    const result = page.locator('.result-window', { hasText: 'totalCount' });
    await result.waitFor({ timeout: 30_000 });
    const shown = (await result.textContent()) ?? '';
    const api = (await (
      await fetch(`${origin()}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ products(first: 1) { totalCount } }' }),
      })
    ).json()) as { data: { products: { totalCount: number } } };
    expect(shown.replace(/\s+/g, '')).toContain(`"totalCount":${api.data.products.totalCount}`);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'explorer.png') });
    expect(outside).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe('the explorer route (development mode)', () => {
  test('a browser navigating to /graphql gets the explorer page, with its scripts from this server only', async () => {
    const page = await fetch(`${origin()}/graphql`, { headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    const scripts = [...html.matchAll(/<script src="([^"]+)"/g)].map((match) => match[1]);
    expect(scripts).toContain('/web/vendor/graphiql.min.js');
    for (const script of scripts) {
      expect(script.startsWith('/')).toBe(true);
      const file = await fetch(`${origin()}${script}`);
      expect([script, file.status, file.headers.get('content-type')]).toEqual([script, 200, 'text/javascript; charset=utf-8']);
    }
  });

  test('API clients are not given the page: a GET with a query, or asking for JSON, is GraphQL as before', async () => {
    const withQuery = await fetch(`${origin()}/graphql?query=${encodeURIComponent('{ products(first: 1) { totalCount } }')}`, {
      headers: { accept: 'text/html,application/json' },
    });
    expect(withQuery.headers.get('content-type')).toMatch(/application\/(graphql-response\+)?json/);
    const json = await fetch(`${origin()}/graphql`, { headers: { accept: 'application/json' } });
    expect(json.headers.get('content-type')).not.toMatch(/text\/html/);
  });
});

describe('production mode', () => {
  let production: HardenedServer;
  beforeAll(async () => {
    production = await startHardenedServer({ production: true });
  });
  afterAll(async () => production?.close());

  test('serves no explorer and none of its files; /quality stays', async () => {
    const page = await fetch(`http://127.0.0.1:${production.port}/graphql`, { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-type') ?? '').not.toMatch(/text\/html/);
    expect((await fetch(`http://127.0.0.1:${production.port}/web/vendor/graphiql.min.js`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${production.port}/web/explorer.js`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${production.port}/quality`)).status).toBe(200);
  });
});

describeWithServices(['chromium'], 'the data-quality and model page, in Chromium', () => {
  useBrowser();
  const QUERY = `{ dataQuality { balanced tables { table read served merged rejected flagged flagsByRule { rule count } } }
                   models { name version status executionProvider metrics { name value } } }`;
  type Answer = {
    data: {
      dataQuality: {
        balanced: boolean;
        tables: {
          table: string;
          read: number;
          served: number;
          merged: number;
          rejected: number;
          flagged: number;
          flagsByRule: { rule: string; count: number }[];
        }[];
      };
      models: { name: string; version: string | null; status: string; executionProvider: string | null; metrics: { name: string; value: number }[] }[];
    };
  };

  async function signIn(page: Page, headers: Record<string, string>): Promise<void> {
    await page.goto(`${origin()}/quality`);
    await page.fill('#token', headers.authorization.replace(/^Bearer /, ''));
    await page.click('#login button[type=submit]');
  }

  test('shows the reconciliation, the flags per rule, the models and the live figures the API answers, without console errors', async () => {
    const bi = await as('bi');
    const answer = (await (
      await fetch(`${origin()}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...bi }, body: JSON.stringify({ query: QUERY }) })
    ).json()) as Answer;
    const { page, problems } = await openPage();
    await signIn(page, bi);
    await page.locator('#content:not([hidden])').waitFor({ timeout: 60_000 });

    const rows = await page.locator('#reconciliation tbody tr').all();
    expect(rows).toHaveLength(answer.data.dataQuality.tables.length);
    for (const [i, table] of answer.data.dataQuality.tables.entries()) {
      const cells = await rows[i].locator('td').allTextContents();
      expect(cells[0]).toBe(table.table);
      expect(cells.slice(2, 7).map(digits)).toEqual([table.read, table.served, table.merged, table.rejected, table.flagged]);
    }
    const flagRows = (await page.locator('#flags tbody tr').all()).length;
    expect(flagRows).toBe(answer.data.dataQuality.tables.reduce((n, t) => n + t.flagsByRule.length, 0));
    const firstFlag = answer.data.dataQuality.tables.find((t) => t.flagsByRule.length > 0)!;
    const firstFlagCells = await page.locator('#flags tbody tr').first().locator('td').allTextContents();
    expect([firstFlagCells[0], firstFlagCells[1], digits(firstFlagCells[2])]).toEqual([
      firstFlag.table,
      firstFlag.flagsByRule[0].rule,
      firstFlag.flagsByRule[0].count,
    ]);
    expect(await page.textContent('#balanced')).toContain(answer.data.dataQuality.balanced ? 'Every table balances' : 'DO NOT BALANCE');
    const modelCells = await page.locator('#models tbody tr td:first-child').allTextContents();
    expect(modelCells).toEqual(answer.data.models.map((m) => m.name));
    expect(await page.locator('#reconciliation-chart svg rect').count()).toBeGreaterThan(answer.data.dataQuality.tables.length);
    // Each model beside its baselines: one bar per baseline the card reports, labelled with the API's figure.
    const delivery = answer.data.models.find((m) => m.name === 'delivery_risk')!;
    const baselines = delivery.metrics.filter((m) => /^baselines_test\..+\.roc_auc$/.test(m.name));
    expect(baselines.length).toBeGreaterThan(1);
    const deliveryChart = page.locator('#model-charts svg[aria-label^="delivery_risk"]');
    expect(await deliveryChart.locator('rect').count()).toBe(baselines.length);
    const best = baselines.reduce((a, b) => (b.value > a.value ? b : a));
    expect(await deliveryChart.locator('rect title').first().textContent()).toBe(
      `${best.name.split('.').slice(1, -1).join('.')}: ${Math.round(best.value * 1000) / 1000}`,
    );
    expect(await page.locator('#all-metrics tbody tr').count()).toBe(answer.data.models.reduce((n, m) => n + m.metrics.length, 0));

    // Live figures: what /quality/live answers now, and the page counted at least the operations before it.
    const live = (await (await fetch(`${origin()}/quality/live`, { headers: bi })).json()) as { operations: { total: number } };
    const shownTotal = digits(await page.textContent('#live-total'));
    expect(shownTotal).toBeGreaterThan(0);
    expect(shownTotal).toBeLessThanOrEqual(live.operations.total);
    expect(await page.locator('#latency-chart svg rect').count()).toBeGreaterThan(0);

    await page.screenshot({ path: path.join(SCREENSHOTS, 'quality.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  test.each([
    ['a customer', async () => as('customer'), /FORBIDDEN|Not allowed/],
    ['a partner', async () => as('partner'), /FORBIDDEN|Not allowed/],
    ['a forged token', async () => ({ authorization: 'Bearer not.a.token' }), /401 UNAUTHENTICATED/],
  ])('refuses %s and says why', async (_who, credential, message) => {
    const page = await browser.newPage();
    await signIn(page, await credential());
    await page.locator('#status', { hasText: 'Refused' }).waitFor({ timeout: 30_000 });
    expect(await page.textContent('#status')).toMatch(message);
    expect(await page.locator('#content').isHidden()).toBe(true);
    await page.close();
  });
});

describe('the live figures', () => {
  test('/quality/live answers admin and BI only, never a 5xx', async () => {
    const live = (headers: Record<string, string>) => fetch(`${origin()}/quality/live`, { headers });
    expect((await live(await as('admin'))).status).toBe(200);
    expect((await live(await as('bi'))).status).toBe(200);
    expect((await live({})).status).toBe(401);
    expect((await live(await as('partner'))).status).toBe(403);
    expect((await live(await as('customer'))).status).toBe(403);
    expect((await live({ authorization: 'Bearer garbage' })).status).toBe(401);
  });
});
