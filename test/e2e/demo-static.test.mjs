// The screenshot server of `make demo` answers only with files under its folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveDir } from '../../demo/static.mjs';

// get sends path exactly as written (fetch would normalise the dots away).
function get(port, path) {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, body }));
    }).on('error', reject).end();
  });
}

test('the screenshot server serves its folder and nothing beside it', async () => {
  const top = mkdtempSync(join(tmpdir(), 'mailseal-static-'));
  const dir = join(top, 'shots');
  mkdirSync(join(dir, 'en-light'), { recursive: true });
  writeFileSync(join(dir, 'index.html'), 'the index');
  writeFileSync(join(dir, 'en-light', 'a.png'), 'a picture');
  writeFileSync(join(top, 'secret.txt'), 'not for the network');
  writeFileSync(join(top, 'shots-evil'), 'a sibling whose name starts like the folder');
  const server = await serveDir(dir, 0);
  const { port } = server.address();
  try {
    assert.deepEqual(await get(port, '/'), { status: 200, body: 'the index' });
    assert.equal((await get(port, '/en-light/a.png')).body, 'a picture');
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/en-light/..%2f..%2fsecret.txt',
      '/..%2fshots-evil', '/en-light/', '/missing.png']) {
      const r = await get(port, path);
      assert.equal(r.status, 404, path);
      assert.doesNotMatch(r.body, /not for the network|sibling/, path);
    }
    assert.equal((await get(port, '/%E0%A4%A')).status, 400, 'a malformed escape is refused, not a crash');
    assert.equal((await get(port, '/')).status, 200, 'and the server is still up');
  } finally {
    server.close();
  }
});
