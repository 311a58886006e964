// Reaching the extension's API from a test in both browsers: through an extension frame of a
// webmail tab (a banner frame). Firefox's WebDriver BiDi cannot open a moz-extension:// page in a
// tab, and gives such a frame neither tabs nor action. Requests go from our own pages at the top
// level instead (harness pageRequest): the background refuses most of them from a banner frame.

const what = () => [location.href, /\/banner\.html\?w=/.test(location.href) && !document.body?.dataset.status];

/** extensionFrame waits for a frame of page at our origin (a banner frame). */
export async function extensionFrame(page, origin, timeout = 20000) {
  const until = Date.now() + timeout;
  while (Date.now() < until) {
    // Ask each frame itself: Firefox's frame list keeps a child frame's first URL.
    for (const f of page.frames().slice(1)) {
      // A banner frame that has drawn nothing yet (a spare loaded ahead, content/banner-host.js)
      // is not the banner: wait for one that has.
      const frame = await usable(f);
      const [href, blank] = frame ? await frame.evaluate(what).catch(() => ['', true]) : ['', true];
      if (href.startsWith(`${origin}/`) && !blank) return frame;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`e2e: no frame of ${origin} in the page`);
}

// usable gives f when its scripts can be run, else null. Puppeteer now and then never gets a
// script context for a banner frame moved into place by moveBefore (harness.mjs inFrame): such a
// frame is not asked again, and the caller opens its message again (openWithFrame).
const stuck = new WeakSet();
async function usable(f) {
  if (stuck.has(f)) return null;
  let timer;
  const late = Symbol('late');
  const first = f.evaluate(() => true);
  first.catch(() => {});
  const got = await Promise.race([first, new Promise((r) => { timer = setTimeout(() => r(late), 3000); })]).catch(() => false);
  clearTimeout(timer);
  if (got === late) stuck.add(f);
  return got === true ? f : null;
}

/**
 * openWithFrame opens a message (open gives its page; opened, a page open on it already) and
 * waits for its banner frame; when the test cannot reach the frame (above), it opens the message
 * again, up to tries times in all.
 * @returns {Promise<{page: any, frame: any}>}
 */
export async function openWithFrame(open, origin, { opened = null, tries = 3 } = {}) {
  for (let attempt = 1; ; attempt++) {
    const page = attempt === 1 && opened ? opened : await open();
    try {
      return { page, frame: await extensionFrame(page, origin, 10000) };
    } catch (err) {
      if (attempt >= tries) throw err;
    }
  }
}
