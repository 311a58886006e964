// @ts-check
// One live copy of a content script per page. A copy can be left behind in two ways:
// - Chrome, after an update: the old copy keeps running, cut off from the new background (its
//   runtime has no id any more), while background/open-tabs.js injects the new one;
// - Firefox, after an install or update: it injects into open tabs itself, and open-tabs.js
//   injects a second copy into the same content-script scope.
// The newest copy takes over: it stops the one it finds in its scope (claim), and a copy whose
// runtime is gone stops itself at its next wake (runtimeGone), whatever scope it runs in.
import { ext } from '../platform.js';

// In the content script's own scope (an isolated world, or Firefox's sandbox), which the page
// cannot reach.
const live = Symbol.for('mailseal.content');

/**
 * claim makes this copy the live one for name, and stops the copy it replaces.
 * @param {string} name   which content script ('banners')
 * @param {() => void} stop
 */
export function claim(name, stop) {
  const copies = (globalThis[live] ??= {});
  const previous = copies[name];
  copies[name] = stop;
  if (previous) {
    try { previous(); } catch { /* a copy whose context is gone */ }
  }
}

// runtimeGone is true in a copy the browser cut off from the extension (an update or uninstall).
export function runtimeGone() {
  try {
    return !ext.runtime?.id;
  } catch {
    return true;
  }
}
