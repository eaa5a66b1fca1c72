// Issue 14, row "Any web page can drive the console": a WebSocket to /console or /mqtt with
// `Origin: http://evil.example` was accepted, and could send `cmd/<any board>`. Now the studio
// accepts them only from its own pages (the Origin's host is the Host header) or from clients that
// send no Origin at all (boards' tools, scripts); in Chromium, another site's page cannot open
// them while the studio's own page can.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import WebSocket from 'ws';
import type { Studio } from '../../src/server/studio-server.ts';
import { handshake, launchChromium, startTestStudio } from '../e2e/studio.ts';

const HOST = '127.0.0.1';

describe('Any web page can drive the console', () => {
  let studio: Studio;
  let origin: string;

  before(async () => {
    ({ studio } = await startTestStudio());
    origin = `http://${HOST}:${studio.httpPort}`;
  });

  after(() => studio?.close());

  for (const path of ['/console', '/mqtt']) {
    it(`refuses ${path} from another site’s page`, async () => {
      const url = `ws://${HOST}:${studio.httpPort}${path}`;
      for (const foreign of [
        'http://evil.example',
        'null',
        `http://${HOST}:${studio.httpPort + 1}`,
        `http://localhost:${studio.httpPort}`,
        'not a url',
      ]) {
        assert.equal(await handshake(url, { Origin: foreign }), 403, foreign);
      }
    });

    it(`accepts ${path} from the studio’s own pages and from clients without an Origin`, async () => {
      const url = `ws://${HOST}:${studio.httpPort}${path}`;
      assert.equal(await handshake(url, { Origin: origin }), 101);
      assert.equal(await handshake(url, { Origin: origin.toUpperCase() }), 101);
      assert.equal(await handshake(url, {}), 101);
    });
  }

  describe('in Chromium', () => {
    let browser: Browser;
    let evil: Server;
    let evilUrl: string;

    before(async () => {
      browser = await launchChromium();
      // Another site on the classroom network: a page of its own, on another origin.
      evil = createServer((_req, res) => {
        res.setHeader('Content-Type', 'text/html; charset=utf-8');
        res.end('<!doctype html><title>Another site</title>');
      });
      evil.listen(0, HOST);
      await once(evil, 'listening');
      evilUrl = `http://${HOST}:${(evil.address() as AddressInfo).port}/`;
    });

    after(async () => {
      await browser?.close();
      evil?.close();
    });

    /** Whether a WebSocket to `url` opened from `page`'s origin, once it opened or failed. */
    const opensFrom = async (pageUrl: string, url: string): Promise<boolean> => {
      const page = await browser.newPage();
      try {
        await page.goto(pageUrl);
        return await page.evaluate(
          (target) =>
            new Promise<boolean>((resolve) => {
              const ws = new WebSocket(target);
              ws.onopen = () => {
                ws.close();
                resolve(true);
              };
              ws.onerror = () => resolve(false);
            }),
          url,
        );
      } finally {
        await page.close();
      }
    };

    for (const path of ['/console', '/mqtt']) {
      it(`another site’s page cannot open ${path}; the studio’s page can`, async () => {
        const target = `ws://${HOST}:${studio.httpPort}${path}`;
        assert.equal(await opensFrom(evilUrl, target), false);
        assert.equal(await opensFrom(studio.url, target), true);
      });
    }
  });
});
