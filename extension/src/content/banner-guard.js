// @ts-check
// BannerGuard keeps a shown banner where it belongs. The banner's host element is in the page's
// DOM, so a hostile page (an XSS in the webmail) can hide it (display:none, opacity, visibility)
// or move it beside another message, where a genuine "valid" banner would vouch for a message it
// does not belong to. The page cannot read or change the frame inside (another origin, behind a
// closed shadow root), but it can do that much to the host. The guard notices it on the next
// frame after any mutation (a MutationObserver, no polling), puts the host back above its
// message with its own style, and tells the user through the toolbar badge. What it cannot
// notice (something drawn over the banner, a copy of the page shown elsewhere) SECURITY.md says.

// A few attempts per host: a page that keeps undoing the repair gets the badge, not a fight.
const maxRepairs = 5;

const hostStyle = { display: 'block', position: 'static', visibility: 'visible', opacity: '1', transform: 'none', clip: 'auto', 'clip-path': 'none', 'margin-top': '0', 'margin-bottom': '8px', float: 'none', 'pointer-events': 'auto' };

/** visibleEnough says whether el is rendered, with some size, and not (nearly) transparent. */
export function visibleEnough(el) {
  const view = el.ownerDocument.defaultView;
  const r = el.getBoundingClientRect();
  if (r.width < 1 || r.height < 1) return false;
  if (el.checkVisibility && !el.checkVisibility({ opacityProperty: true, visibilityProperty: true, checkOpacity: true, checkVisibilityCSS: true })) return false;
  let opacity = 1;
  for (let n = el; n && n.nodeType === 1; n = n.parentElement) opacity *= Number(view.getComputedStyle(n).opacity);
  return opacity >= 0.9 && view.getComputedStyle(el).visibility === 'visible';
}

/** placedRight says whether host is right above anchor: its sibling before it, and drawn there. */
export function placedRight(host, anchor) {
  if (!host.isConnected || host.nextElementSibling !== anchor) return false;
  const style = host.ownerDocument.defaultView.getComputedStyle(host);
  if (!['static', 'relative'].includes(style.position) || style.transform !== 'none') return false;
  if (style.position === 'relative' && (parseFloat(style.top) || parseFloat(style.left) || parseFloat(style.bottom) || parseFloat(style.right))) return false;
  const h = host.getBoundingClientRect();
  const a = anchor.getBoundingClientRect();
  return h.bottom <= a.top + 2 && a.top - h.bottom <= 40 && h.right > a.left && h.left < a.right;
}

export class BannerGuard {
  #watched = new Map(); // host → {anchor, repairs}
  #queued = false;
  #observer;

  /**
   * @param {Document} document
   * @param {{onTampered: (what: string) => void, live?: () => boolean}} opts  live is false once
   *   this copy of the content script has handed over to a newer one: it must not put back the
   *   hosts the newer copy replaced.
   */
  constructor(document, { onTampered, live = () => true }) {
    this.document = document;
    this.onTampered = onTampered;
    this.live = live;
    this.#observer = new document.defaultView.MutationObserver(() => this.#queue());
  }

  watch(host, anchor) {
    if (!anchor) return;
    this.#watched.set(host, { anchor, repairs: 0 });
    if (this.#watched.size === 1) {
      this.#observer.observe(this.document.documentElement, { subtree: true, childList: true, attributes: true, attributeFilter: ['style', 'class', 'hidden'] });
    }
    this.#queue();
  }

  unwatch(host) {
    this.#watched.delete(host);
    if (this.#watched.size === 0) this.#observer.disconnect();
  }

  #queue() {
    if (this.#queued) return;
    this.#queued = true;
    this.document.defaultView.requestAnimationFrame(() => { this.#queued = false; this.check(); });
  }

  /** disconnect stops guarding every host. */
  disconnect() {
    this.#watched.clear();
    this.#observer.disconnect();
  }

  /** check looks at every watched host once; exposed for tests. */
  check() {
    if (!this.live()) {
      this.disconnect();
      return;
    }
    for (const [host, w] of this.#watched) {
      // The message itself closed or collapsed: nothing to guard until it is shown again.
      if (!w.anchor.isConnected) { this.unwatch(host); continue; }
      if (!visibleEnough(w.anchor)) continue;
      const wrong = !placedRight(host, w.anchor) ? 'moved' : !visibleEnough(host) ? 'hidden' : null;
      if (!wrong) continue;
      this.onTampered(wrong);
      if (w.repairs >= maxRepairs) continue;
      w.repairs++;
      w.anchor.before(host);
      for (const [k, v] of Object.entries(hostStyle)) host.style.setProperty(k, v, 'important');
      host.removeAttribute('class');
      host.removeAttribute('hidden');
    }
  }
}
