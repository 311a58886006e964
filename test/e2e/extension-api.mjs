// Reaching the extension's API from a test in both browsers: through an extension frame of a
// webmail tab (a banner frame). Firefox's WebDriver BiDi cannot open a moz-extension:// page in a
// tab, and gives such a frame neither tabs nor action. Requests go from our own pages at the top
// level instead (harness pageRequest): the background refuses most of them from a banner frame.

/** extensionFrame waits for a frame of page at our origin (a banner frame). */
export async function extensionFrame(page, origin, timeout = 20000) {
  const until = Date.now() + timeout;
  while (Date.now() < until) {
    // Ask each frame itself: Firefox's frame list keeps a child frame's first URL.
    for (const f of page.frames().slice(1)) {
      // A banner frame that has drawn nothing yet (a spare loaded ahead, content/banner-host.js)
      // is not the banner: wait for one that has.
      const [href, blank] = await f.evaluate(() => [location.href, /\/banner\.html\?w=/.test(location.href) && !document.body?.dataset.status]).catch(() => ['', true]);
      if (href.startsWith(`${origin}/`) && !blank) return f;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`e2e: no frame of ${origin} in the page`);
}
