import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { precompressFile } from '../../scripts/precompressAssets.ts';
import { createInProcessApp } from '../helpers/inProcessApp.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const ASSET = '/assets/MeetingRoom-abc123.js';
const BROWSER = 'gzip, deflate, br, zstd';

/** A client folder as the build leaves it: plain files with their .br and .gz beside them. */
async function appWithBuiltClient() {
  const clientDir = mkdtempSync(join(tmpdir(), 'polyphony-client-'));
  cleanups.push(() => rmSync(clientDir, { recursive: true, force: true }));
  mkdirSync(join(clientDir, 'assets'));
  const script = Array.from({ length: 400 }, (_, i) => `export const panel${i} = () => document.querySelector('#panel-${i}');`).join('\n');
  writeFileSync(join(clientDir, 'assets', 'MeetingRoom-abc123.js'), script);
  writeFileSync(join(clientDir, 'index.html'), `<!doctype html><title>Polyphony</title>${'<link rel="modulepreload" href="/assets/x.js">'.repeat(20)}`);
  precompressFile(join(clientDir, 'assets', 'MeetingRoom-abc123.js'));
  precompressFile(join(clientDir, 'index.html'));
  const server = await createInProcessApp({ clientDir });
  cleanups.push(() => server.close());
  const file = (path: string) => readFileSync(join(clientDir, path));
  return { app: server.app, file, size: (path: string) => statSync(join(clientDir, path)).size };
}

async function bytesOf(res: Response): Promise<Buffer> {
  return Buffer.from(await res.arrayBuffer());
}

function expectAssetHeaders(res: Response, encoding: string | null) {
  expect(res.status).toBe(200);
  expect(res.headers.get('content-encoding')).toBe(encoding);
  expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  expect(res.headers.get('vary')).toBe('Accept-Encoding');
  expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
}

describe('compressed client files (finding: a cheap phone got the 918 KB meeting bundle uncompressed)', () => {
  it('sends the brotli form to a browser that takes it, and it unpacks to the plain file', async () => {
    const { app, file, size } = (await appWithBuiltClient());
    const res = await app.request(ASSET, { headers: { 'accept-encoding': BROWSER } });
    expectAssetHeaders(res, 'br');
    const body = await bytesOf(res);
    expect(res.headers.get('content-length')).toBe(String(body.length));
    expect(body.length).toBeLessThan(size(ASSET) / 4);
    expect(brotliDecompressSync(body).equals(file(ASSET))).toBe(true);
  });

  it('sends the gzip form when only gzip is accepted, or brotli is refused with q=0', async () => {
    const { app, file } = (await appWithBuiltClient());
    for (const accept of ['gzip', 'br;q=0, gzip;q=0.8', 'deflate, gzip']) {
      const res = await app.request(ASSET, { headers: { 'accept-encoding': accept } });
      expectAssetHeaders(res, 'gzip');
      expect(gunzipSync(await bytesOf(res)).equals(file(ASSET)), accept).toBe(true);
    }
  });

  it('sends the plain file to a client that accepts neither, or says nothing', async () => {
    const { app, file } = (await appWithBuiltClient());
    for (const headers of [{}, { 'accept-encoding': 'identity' }, { 'accept-encoding': 'deflate' }, { 'accept-encoding': 'br;q=0, gzip;q=0, *;q=0' }]) {
      const res = await app.request(ASSET, { headers });
      expectAssetHeaders(res, null);
      expect((await bytesOf(res)).equals(file(ASSET)), JSON.stringify(headers)).toBe(true);
    }
  });

  it('answers a range request from the plain file, whose bytes the range counts', async () => {
    const { app, file, size } = (await appWithBuiltClient());
    const res = await app.request(ASSET, { headers: { 'accept-encoding': BROWSER, range: 'bytes=0-99' } });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-encoding')).toBeNull();
    expect(res.headers.get('content-range')).toBe(`bytes 0-99/${size(ASSET)}`);
    expect((await bytesOf(res)).equals(file(ASSET).subarray(0, 100))).toBe(true);
  });

  it('answers HEAD with the headers of the compressed answer and no body', async () => {
    const { app, size } = (await appWithBuiltClient());
    const res = await app.request(ASSET, { method: 'HEAD', headers: { 'accept-encoding': BROWSER } });
    expectAssetHeaders(res, 'br');
    expect(res.headers.get('content-length')).toBe(String(size(`${ASSET}.br`)));
    expect((await bytesOf(res)).length).toBe(0);
  });

  it('compresses the app page too, still never cached, however it is asked for', async () => {
    const { app, file } = (await appWithBuiltClient());
    for (const path of ['/', '/index.html', '/meetings/abc', '/assets/missing-file.js']) {
      const res = await app.request(path, { headers: { 'accept-encoding': BROWSER } });
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-encoding'), path).toBe('br');
      expect(res.headers.get('content-type'), path).toBe('text/html; charset=utf-8');
      expect(res.headers.get('cache-control'), path).toBe('no-store');
      expect(brotliDecompressSync(await bytesOf(res)).equals(file('/index.html')), path).toBe(true);
    }
  });
});
