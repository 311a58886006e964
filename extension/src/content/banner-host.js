// @ts-check
// The banner's place in the webmail page: a host element with a closed shadow root around an
// iframe of the extension's own banner page. The page sees only the host and its state
// (data-mailseal: pending, loading, shown); the frame's content is another origin, and the
// channel or wait id in its URL stays inside the closed root.
//
// A frame loaded before its verdict (a spare, or one prepared while the verdict is computed) has
// a wait id instead of a channel and draws nothing until its content script wakes it: a message
// posted to the frame's window that names the wait id, which only the content script knows (the
// page cannot see into the closed root, nor read what is posted to another origin's window). The
// woken frame asks the background for the verdict bound to its wait id (bindBanner,
// background/banner-channels.js), so a wake carries no verdict and a page cannot make one.
import { ext, extensionOrigin } from '../platform.js';
import { newChannelId } from '../channels.js';

const page = (params) => {
  const url = new URL(ext.runtime.getURL('pages/banner.html'));
  url.search = new URLSearchParams(params).toString();
  return url.href;
};

function bannerFrame(document, title) {
  const frame = document.createElement('iframe');
  frame.title = title;
  frame.setAttribute('scrolling', 'no');
  frame.style.cssText = 'display:block;border:0;width:100%;height:0;overflow:hidden;background:transparent;';
  return frame;
}

/** canMove says whether document keeps an iframe's page when the iframe is moved (moveBefore). */
export function canMove(document) {
  return typeof document.defaultView?.Element?.prototype.moveBefore === 'function';
}

/**
 * createSpare loads a banner frame ahead of any message, under a new wait id, in a host of its
 * own (a closed shadow root, 0 px high, out of the page's flow), parked at the end of parent.
 * A banner host takes its frame when a message opens (adopt), without loading it again.
 * @returns {{host: HTMLElement, frame: HTMLIFrameElement, wait: string, loaded: boolean}}
 */
export function createSpare(document, title, parent = document.body) {
  const host = document.createElement('div');
  host.style.cssText = 'position:fixed;left:0;top:0;width:100%;height:0;overflow:hidden;margin:0;padding:0;border:0;pointer-events:none;';
  // Out of sight is not out of a screen reader's list of frames: an empty "who signed this
  // message" frame in every webmail tab would say there is a banner where there is none. The
  // frame leaves this host when adopted, and is listed as the banner from then on.
  host.setAttribute('aria-hidden', 'true');
  const shadow = host.attachShadow({ mode: 'closed' });
  const frame = bannerFrame(document, title);
  frame.tabIndex = -1;
  const spare = { host, frame, wait: newChannelId(), loaded: false };
  frame.addEventListener('load', () => { spare.loaded = true; }, { once: true });
  frame.src = page({ w: spare.wait });
  shadow.append(frame);
  parent.append(host);
  return spare;
}

/**
 * createBannerHost makes the host of one message's banner. onResize(height, ready) hears the frame
 * ask for a height, and say that its verdict is drawn (ready), on the private port a wake gives it.
 */
export function createBannerHost(document, title, onResize = (_height, _ready) => {}) {
  const host = document.createElement('div');
  host.setAttribute('data-mailseal', 'pending');
  host.style.cssText = 'display:block;margin:0 0 8px 0;padding:0;border:0;min-height:0;';
  const shadow = host.attachShadow({ mode: 'closed' });
  // The frame is made when it is needed: one adopted from a spare makes none of its own (an
  // iframe put in the page without a page of its own still gets a document, at a cost).
  /** @type {HTMLIFrameElement | null} */
  let frame = null;
  let loaded = false; // the frame's page has loaded (its script listens for a wake)
  let woken = null; // what the frame is woken with, each time its page loads
  /** @type {MessagePort | null} */
  let port = null;
  // What the frame said last on its port, passed on once show() has this host show a verdict (the
  // frame may draw before: a message whose banner is not shown, unsigned, says nothing).
  let last = null;
  let showing = false;
  // wake hands the frame its wait id (which proves the wake is ours) and a port of its own: the
  // frame says there when its verdict is drawn and what height it needs, without a round trip
  // through the background. Only the frame's own page (the extension's origin) receives it.
  const wake = () => {
    port?.close();
    const channel = new MessageChannel();
    port = channel.port1;
    port.onmessage = ({ data }) => {
      last = { height: Math.max(24, Math.min(2000, Math.round(Number(data?.height) || 0))), ready: data?.ready === true };
      if (showing) onResize(last.height, last.ready);
    };
    frame?.contentWindow?.postMessage({ mailseal: 'wake', ...woken }, extensionOrigin, [channel.port2]);
  };
  const watchLoads = () => frame?.addEventListener('load', () => {
    loaded = true;
    if (woken) wake(); // loaded again (moved back into place by the guard): woken again
  });
  // ownFrame gives the host's frame, made at the first need, loading src (a frame put in the
  // page without one loads an empty page first, which a wake would be posted to in vain).
  const ownFrame = (src = null) => {
    if (!frame) {
      frame = bannerFrame(document, title);
      if (src) frame.src = src;
      watchLoads();
      shadow.append(frame);
    } else if (src) frame.src = src;
    return frame;
  };
  return {
    host,
    /** @type {string | null} the prepared frame's wait id, until show() hands it over */
    wait: null,
    // prepare loads the frame before the verdict, under a wait id (a new one when none is
    // given: the content script may have sent it with its question already) that the background
    // binds to the verdict's channel (background/banner-channels.js): the frame's own load then
    // overlaps the fetch and the verify instead of following them. It stays 0 px high until then.
    prepare(wait = newChannelId()) {
      this.wait = wait;
      ownFrame(page({ w: this.wait }));
    },
    /**
     * adopt takes a spare's loaded frame (createSpare) as this host's frame, moved without
     * loading it again; false when it cannot be (the host or the spare is not in the page, this
     * host has a frame already, or the browser would load it again).
     */
    adopt(spare) {
      if (!spare?.loaded || frame || !host.isConnected || !spare.host.isConnected || !canMove(document)) return false;
      try {
        /** @type {any} */ (shadow).moveBefore(spare.frame, null);
      } catch {
        return false;
      }
      spare.host.remove();
      frame = spare.frame;
      frame.tabIndex = 0;
      loaded = true;
      watchLoads();
      this.wait = spare.wait;
      return true;
    },
    // wake tells a frame with a wait id (prepared or adopted) to ask for its verdict now, in the
    // webmail's theme: the background holds the question until the wait id is bound.
    wake(theme) {
      if (!this.wait || woken) return;
      woken = { wait: this.wait, theme };
      if (loaded) wake();
    },
    // show draws the verdict of channelId: in a prepared frame, once the background has bound
    // its wait id to the channel (bound: as it answered with the verdict; else bind does it);
    // else (or when that fails) in a frame loaded with the channel itself.
    async show(channelId, view, theme, { bind = null, bound = false } = {}) {
      ownFrame().style.height = view.kind === 'chip' ? '28px' : '44px';
      host.setAttribute('data-mailseal', 'loading');
      const wait = this.wait;
      this.wait = null;
      if (wait) {
        const binding = bound ? Promise.resolve(true) : bind ? bind(wait, channelId).then(() => true, () => false) : Promise.resolve(false);
        if (!woken) {
          woken = { wait, theme };
          if (loaded) wake();
        }
        showing = true;
        if (last) onResize(last.height, last.ready);
        if (await binding) return;
        showing = false;
        woken = null;
      }
      port?.close();
      port = null;
      last = null;
      ownFrame(page({ c: channelId, theme }));
    },
    // unprepare lets a prepared frame go (the message gets no banner).
    unprepare() {
      if (!this.wait) return;
      this.wait = null;
      port?.close();
      port = null;
      frame?.removeAttribute('src');
    },
    resize(height, ready) {
      ownFrame().style.height = `${height}px`;
      if (ready) host.setAttribute('data-mailseal', 'shown');
    },
  };
}

// themeOf follows the webmail's light or dark theme: the luminance of the first opaque background
// at or above el.
export function themeOf(el) {
  const view = el.ownerDocument.defaultView;
  for (let n = el; n && n.nodeType === 1; n = n.parentElement) {
    const m = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?/.exec(view.getComputedStyle(n).backgroundColor);
    if (m && (m[4] === undefined || Number(m[4]) > 0.5)) {
      const [r, g, b] = m.slice(1, 4).map(Number);
      return 0.2126 * r + 0.7152 * g + 0.0722 * b < 128 ? 'dark' : 'light';
    }
  }
  return view.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}
