// Reaching the extension's API from a test in both browsers: through an extension frame of a
// webmail tab (a banner frame). Firefox's WebDriver BiDi cannot open a moz-extension:// page in a
// tab, and gives such a frame neither tabs nor action, but it may message the background.
import { frameAt } from './signing-helpers.mjs';

export function extensionFrame(page, origin, timeout = 20000) {
  return frameAt(page, `${origin}/`, timeout);
}

// ask sends a request to the background from an extension frame of page, as our pages do.
export async function ask(page, origin, request, args = {}) {
  const frame = await extensionFrame(page, origin);
  return frame.evaluate(async (r, a) => (await (globalThis.browser ?? chrome).runtime.sendMessage({ request: r, args: a })), request, args);
}
