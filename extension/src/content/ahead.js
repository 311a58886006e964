// @ts-check
// Ahead of intent: when the user points at a row of the message list, or moves the keyboard focus
// onto one, the message's raw bytes are fetched then and the background starts its core, so that
// opening the message waits for neither the network nor a cold core. Nothing is verified ahead:
// the verify, and with it the sender memory, revocation lists and anything else a verdict
// touches, happens when the message opens, as before.
//
// Only the user's own gestures count (isTrusted: a page's synthetic events do nothing), one row at
// a time after the pointer rested on it, and a small budget: at most `budget` messages per minute,
// at most `kept` held at once (each up to rawfetch.js's size cap), each for `keepMillis`. The page
// cannot make the extension fetch more than that, whatever it draws under the pointer.

/**
 * watchIntent fetches ahead for provider's rows until signal aborts.
 * @param {import('../providers/provider.js').Provider} provider
 * @param {(name: any, args: any) => Promise<any>} request  request.js request
 * @param {AbortSignal} signal
 */
export function watchIntent(provider, request, signal, { budget = 6, kept = 3, dwellMillis = 80, keepMillis = 120_000, now = () => Date.now() } = {}) {
  const spent = []; // when each fetch of the last minute started
  let resting = null; // the timer of the row the pointer rests on
  const expiries = new Set(); // the timers that let go of each message held
  const doc = provider.document;

  function ahead(row) {
    if (provider.ahead.has(row.id)) return;
    const t = now();
    while (spent.length && spent[0] <= t - 60_000) spent.shift();
    if (spent.length >= budget) return;
    spent.push(t);
    request('prepare', {}).catch(() => {}); // the core starts while the bytes come
    const bytes = row.fetch();
    bytes.catch(() => provider.ahead.delete(row.id)); // a failed fetch is tried again when the message opens
    provider.ahead.set(row.id, bytes);
    while (provider.ahead.size > kept) provider.ahead.delete(provider.ahead.keys().next().value);
    const expiry = setTimeout(() => {
      expiries.delete(expiry);
      if (provider.ahead.get(row.id) === bytes) provider.ahead.delete(row.id);
    }, keepMillis);
    expiries.add(expiry);
  }

  function intent(/** @type {Event} */ e) {
    if (!e.isTrusted || signal.aborted || !(e.target instanceof doc.defaultView.Element)) return;
    const row = provider.rowMessage(e.target);
    clearTimeout(resting);
    if (!row) return;
    if (e.type === 'focusin') ahead(row);
    else resting = setTimeout(() => ahead(row), dwellMillis);
  }

  for (const type of ['pointerover', 'focusin']) doc.addEventListener(type, intent, { capture: true, passive: true, signal });
  signal.addEventListener('abort', () => {
    clearTimeout(resting);
    for (const t of expiries) clearTimeout(t);
    expiries.clear();
    provider.ahead.clear();
  }, { once: true });
}
