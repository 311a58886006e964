// Reaching the extension's API from a test in both browsers: through an extension frame of a
// webmail tab (a banner frame). Firefox's WebDriver BiDi cannot open a moz-extension:// page in a
// tab, and gives such a frame neither tabs nor action. Requests go from our own pages at the top
// level instead (harness pageRequest): the background refuses most of them from a banner frame.
import { frameAt } from './signing-helpers.mjs';

export function extensionFrame(page, origin, timeout = 20000) {
  return frameAt(page, `${origin}/`, timeout);
}
