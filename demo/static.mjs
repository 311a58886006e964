// serveDir serves the regular files under dir, read-only, on 127.0.0.1 (the screenshot index of
// `make demo`). A path that leaves dir, names a directory without an index.html, or cannot be
// decoded is answered 404 or 400; nothing the request says can reach a file outside dir.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';

const types = { '.html': 'text/html; charset=utf-8', '.png': 'image/png', '.json': 'application/json' };

export function serveDir(dir, port) {
  const base = resolve(dir);
  const server = createServer((req, res) => {
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      res.writeHead(400).end('bad request');
      return;
    }
    const path = normalize(join(base, pathname));
    const file = path.endsWith(sep) || path === base ? join(path, 'index.html') : path;
    if (!file.startsWith(base + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  return new Promise((ok, fail) => {
    server.on('error', fail);
    server.listen(port, '127.0.0.1', () => ok(server));
  });
}
