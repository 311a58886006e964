// @ts-check
// The banner's place in the webmail page: a host element with a closed shadow root around an
// iframe of the extension's own banner page. The page sees only the host and its state
// (data-mailseal: pending, loading, shown); the frame's content is another origin, and the channel
// id in its URL stays inside the closed root.
import { ext } from '../platform.js';
import { newChannelId } from '../channels.js';

export function createBannerHost(document, title) {
  const host = document.createElement('div');
  host.setAttribute('data-mailseal', 'pending');
  host.style.cssText = 'display:block;margin:0 0 8px 0;padding:0;border:0;min-height:0;';
  const shadow = host.attachShadow({ mode: 'closed' });
  const frame = document.createElement('iframe');
  frame.title = title;
  frame.setAttribute('scrolling', 'no');
  frame.style.cssText = 'display:block;border:0;width:100%;height:0;overflow:hidden;background:transparent;';
  shadow.append(frame);
  const page = (params) => {
    const url = new URL(ext.runtime.getURL('pages/banner.html'));
    url.search = new URLSearchParams(params).toString();
    return url.href;
  };
  return {
    host,
    /** @type {string | null} the prepared frame's wait id, until show() hands it over */
    wait: null,
    // prepare loads the frame before the verdict, under a new wait id that show() hands to
    // bind (background/banner-channels.js): the frame's own load then overlaps the fetch and
    // the verify instead of following them. The frame stays 0 px high until then.
    prepare(theme) {
      this.wait = newChannelId();
      frame.src = page({ w: this.wait, theme });
    },
    // show draws the verdict of channelId: in a prepared frame once bind(wait, channel) has told
    // the background which channel its wait id stands for; else (or when that fails) in a frame
    // loaded with the channel itself.
    async show(channelId, view, theme, bind = null) {
      frame.style.height = view.kind === 'chip' ? '28px' : '44px';
      host.setAttribute('data-mailseal', 'loading');
      const wait = this.wait;
      this.wait = null;
      if (wait && bind && await bind(wait, channelId).then(() => true, () => false)) return;
      frame.src = page({ c: channelId, theme });
    },
    // unprepare lets a prepared frame go (the message gets no banner).
    unprepare() {
      if (!this.wait) return;
      this.wait = null;
      frame.removeAttribute('src');
    },
    resize(height, ready) {
      frame.style.height = `${height}px`;
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
