// @ts-check
// The frame that shows a message's HTML (decrypted mail in the decrypt window): a sandboxed
// srcdoc frame with an opaque origin, no scripts, no forms, no popups and no navigation of the
// top window (sandbox=""), under a Content-Security-Policy that allows no network at all: no
// remote images or backgrounds (img-src data: only), no style sheet, @import or font from
// anywhere (style-src only inline, default-src 'none'), no form action, no base URL. Two things
// CSP cannot stop are taken out of the HTML before it is shown: a <meta http-equiv="refresh">
// (which navigates the frame) and link targets (a click would load the link in the frame), in
// any namespace and however set (SVG animation sets them later, so it goes): a link keeps its
// text and shows its address as a tooltip.

/** contentPolicy is the frame's Content-Security-Policy. */
export const contentPolicy = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src 'none'; " +
  "form-action 'none'; base-uri 'none'; frame-src 'none'; connect-src 'none'; media-src 'none'; object-src 'none'";

// Elements taken out with all they hold: what navigates the frame (meta refresh, base), what
// loads or runs (scripts, frames, plug-ins), SVG animation, which sets attributes (a link's href)
// after the HTML was checked, and templates: DOMParser leaves a template's content inert and out
// of reach of querySelectorAll, but the frame's own parse makes a declarative shadow root
// (<template shadowrootmode>) of it, whose links are live.
const removedElements = new Set(['meta', 'base', 'script', 'noscript', 'iframe', 'frame', 'frameset', 'object', 'embed', 'portal',
  'animate', 'set', 'animatemotion', 'animatetransform', 'discard', 'template']);
// href with any prefix (an SVG link's xlink:href is href in the XLink namespace, which the
// selector [xlink\:href] does not find).
const isLink = (attr) => /^(?:[^:]*:)?href$/i.test(attr.name);

/** strip takes out of doc what can navigate the frame or load anything CSP lets through. */
function strip(doc) {
  for (const n of doc.querySelectorAll('*')) {
    if (removedElements.has(n.localName.toLowerCase())) {
      n.remove();
      continue;
    }
    for (const attr of [...n.attributes].filter(isLink)) {
      n.removeAttributeNode(attr);
      if (attr.value && !n.getAttribute('title')) n.setAttribute('title', attr.value);
    }
  }
}

/** withPolicy serialises doc with the policy as the first element of its head. */
function withPolicy(doc) {
  const policy = doc.createElement('meta');
  policy.setAttribute('http-equiv', 'Content-Security-Policy');
  policy.setAttribute('content', contentPolicy);
  const charset = doc.createElement('meta');
  charset.setAttribute('charset', 'utf-8');
  doc.head.prepend(policy, charset);
  return `<!doctype html>${doc.documentElement.outerHTML}`;
}

/** inert says whether the frame's own parse of srcdoc holds nothing strip takes out but the policy. */
function inert(srcdoc) {
  const doc = new DOMParser().parseFromString(srcdoc, 'text/html');
  const [policy, charset] = doc.head.children;
  const ours = policy?.localName === 'meta' && policy.getAttribute('content') === contentPolicy && charset?.localName === 'meta' && charset.hasAttribute('charset');
  return ours && [...doc.querySelectorAll('*')].every((n) => (n === policy || n === charset ||
    !removedElements.has(n.localName.toLowerCase())) && ![...n.attributes].some(isLink));
}

/**
 * inertHTML is html parsed without running it, stripped of what can navigate the frame, with the
 * policy as the first element of its head; serialised for srcdoc. HTML does not survive parsing
 * and serialising unchanged (a <style> in MathML, a nested <form>: text to the first parse,
 * markup to the next), so what is stripped is what the frame's own parse of the result will
 * hold: the result is parsed again and stripped again until that parse holds nothing to take
 * out; HTML that keeps changing is shown as its text.
 * @param {string} html
 */
export function inertHTML(html) {
  let srcdoc = html;
  for (let round = 0; round < 4; round++) {
    const doc = new DOMParser().parseFromString(srcdoc, 'text/html');
    strip(doc);
    srcdoc = withPolicy(doc);
    if (inert(srcdoc)) return srcdoc;
  }
  const doc = new DOMParser().parseFromString('', 'text/html');
  const pre = doc.createElement('pre');
  pre.textContent = new DOMParser().parseFromString(html, 'text/html').body?.textContent ?? '';
  doc.body.append(pre);
  return withPolicy(doc);
}

/**
 * contentFrame is the frame that shows html.
 * @param {string} html
 * @param {string} title the frame's accessible name
 */
export function contentFrame(html, title) {
  const frame = document.createElement('iframe');
  frame.setAttribute('sandbox', '');
  frame.setAttribute('referrerpolicy', 'no-referrer');
  frame.setAttribute('title', title);
  frame.className = 'html-content';
  frame.srcdoc = inertHTML(html);
  return frame;
}
