// The banner frame: an extension page inside the webmail. It reads its report from the background
// by the channel id in its URL, draws it with text only, and asks the content script (through the
// background) for the height it needs. Nothing of the webmail page can reach into it.
import { request } from '../request.js';
import { el, t, untrusted, mark, localize } from '../view/dom.js';
import { icons } from '../view/verdict.js';
import { headline, warningList } from '../view/headline.js';
import { details } from '../view/details.js';
import { webmailOf } from '../providers/hosts.js';

const params = new URLSearchParams(location.search);
// A frame loaded before its verdict has a wait id and learns its channel with its report.
const wait = params.get('w');
let channel = params.get('c') ?? '';
const setTheme = (theme) => { document.documentElement.dataset.theme = theme === 'dark' ? 'dark' : 'light'; };
setTheme(params.get('theme'));
const root = document.getElementById('banner');
let ready = false;
/** @type {MessagePort | null} the content script's port, given with a wake */
let port = null;

function fit() {
  const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
  if (port) port.postMessage({ height, ready });
  else request('resize', { channel, height, ready }).catch(() => {});
}

function signedContent(report) {
  const box = el('div', { class: 'signed-content' });
  const button = el('button', { type: 'button', class: 'link', text: t('showSignedContent') });
  button.addEventListener('click', async () => {
    button.disabled = true;
    const found = await request('signedContent', { channel }); // the core's text of the signed content
    if (!found) box.replaceChildren(el('p', { text: t('signedContentNone') }));
    else if (found.type === 'text/plain') box.replaceChildren(el('pre', { dir: 'auto', text: found.text }));
    else {
      // HTML runs in a frame with no scripts, no same-origin and no remote loads.
      const frame = el('iframe', { sandbox: '', title: t('showSignedContent'), class: 'html-content' });
      frame.srcdoc = `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">${found.text}`;
      box.replaceChildren(frame);
    }
    fit();
  });
  return [button, box];
}

// decryptButton offers to read an encrypted message in the decrypt window (decrypt/window.js):
// the request names only this frame's channel, and only a banner frame may send it.
function decryptButton(report) {
  if (report.status !== 'encrypted') return null;
  const button = el('button', { type: 'button', class: 'decrypt-open', text: t('decryptOpen') });
  button.addEventListener('click', () => { request('decryptOpen', { channel }).catch(() => {}); });
  return button;
}

// render draws the verdict, with its details panel closed, and gives the function that fills the
// panel: called once the banner has said it is drawn (the panel is hidden until opened, and
// building it took as long again as the rest).
function render(data) {
  const { report, view } = data;
  document.body.dataset.severity = view.severity;
  document.body.dataset.status = view.status;
  const panelId = 'details';
  const experimental = webmailOf(data.provider)?.experimental === true;
  const summary = el('button', {
    type: 'button', class: `summary ${view.kind}`, 'aria-expanded': 'false', 'aria-controls': panelId,
  },
  mark(data.mark),
  el('span', { class: 'icon', 'aria-hidden': 'true', text: icons[view.severity] }),
  el('span', { class: 'severity', text: t(view.word) }),
  // The level is the headline's first word (V1 · …): no badge repeats it.
  el('span', { class: 'headline' }, untrusted(headline(report))),
  experimental ? el('span', { class: 'badge', text: t('experimental') }) : null,
  el('span', { class: 'more', 'aria-hidden': 'true', text: '▾' }));
  const panel = el('div', { id: panelId, role: 'region', 'aria-label': t(view.word), hidden: true });
  const fill = () => panel.replaceChildren(...[details(report, { experimental, message: data.message }),
    ...(data.hasContent ? signedContent(report) : [])].filter(Boolean));
  summary.addEventListener('click', () => {
    const open = summary.getAttribute('aria-expanded') !== 'true';
    summary.setAttribute('aria-expanded', String(open));
    panel.hidden = !open;
    fit();
  });
  root.replaceChildren(...[summary, decryptButton(report), warningList(report), panel].filter(Boolean));
  announce(`${t(view.word)}: ${headline(report)}`);
  return fill;
}

// announce puts the verdict's words in the live region (banner.html), after the page has been
// drawn: text set into a live region that already exists is what screen readers announce.
function announce(words) {
  const live = document.getElementById('announce');
  requestAnimationFrame(() => { live.textContent = words; });
}

async function main() {
  localize();
  let data = null;
  try {
    data = await request('bannerReport', wait ? { wait } : { channel });
    performance.mark('mailseal:report');
    if (data) channel = data.channel;
  } catch { /* shown below as "no result" */ }
  let fill = () => {};
  if (data) fill = render(data);
  else {
    // Not a channel this tab opened (a copy of our markup, or an expired session): no verdict.
    document.body.dataset.status = 'none';
    root.replaceChildren(el('p', { class: 'no-result', text: t('noResult') }));
    announce(t('noResult'));
  }
  ready = Boolean(data);
  performance.mark('mailseal:drawn');
  fit();
  // In a task of its own: Firefox sends the port's message once this task is over.
  setTimeout(fill, 0);
  new ResizeObserver(fit).observe(document.documentElement);
}

// A frame with a wait id draws nothing until its content script wakes it (content/banner-host.js)
// with a message that names the wait id, which the webmail page cannot know; then, once, it asks
// for the verdict bound to it. A wake carries the webmail's theme and a port to the content
// script, where the frame says its height and that its verdict is drawn.
if (wait) {
  addEventListener('message', function woken(event) {
    if (event.source !== parent || event.data?.mailseal !== 'wake' || event.data.wait !== wait) return;
    removeEventListener('message', woken);
    port = event.ports[0] ?? null;
    setTheme(event.data.theme);
    main();
  });
} else main();
