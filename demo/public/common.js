// Shared by the two demo webmails: the inbox, the theme switch, and timings the latency script
// reads (when each message entered the DOM, and when mailseal's banner host reported it shown).
export async function inbox() {
  return (await fetch('/demo/inbox.json')).json();
}

// ?layout=changed renders the message views after an imagined redesign: the class names and
// attributes mailseal's selector tables name are renamed (the same renames as the unit tests'
// fixtures, test/extension/fixtures.mjs), and the extension must say it cannot read the page.
export const changedLayout = new URLSearchParams(location.search).get('layout') === 'changed';

export function applyTheme() {
  const dark = new URLSearchParams(location.search).get('theme') === 'dark';
  document.body.classList.toggle('dark', dark);
}

// window.demoTimings: {inserted: {name: ms}, shown: {name: ms}} in performance.now() time.
const timings = (window.demoTimings = { inserted: {}, shown: {} });

export function markInserted(container) {
  timings.inserted[container.dataset.demoName] = performance.now();
}

new MutationObserver((records) => {
  const now = performance.now();
  for (const r of records) {
    const host = r.target;
    if (r.type !== 'attributes' || !['shown', 'hidden'].includes(host.getAttribute('data-mailseal'))) continue;
    const name = host.closest('[data-demo-name]')?.dataset.demoName;
    if (name && !(name in timings.shown)) timings.shown[name] = now;
  }
}).observe(document.documentElement, { subtree: true, attributes: true, attributeFilter: ['data-mailseal'] });

export function el(tag, attrs = {}, ...children) {
  const n = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') n.className = v;
    else if (k === 'text') n.textContent = v;
    else if (k.startsWith('on')) n.addEventListener(k.slice(2), v);
    else n.setAttribute(k, v);
  }
  n.append(...children.flat().filter((c) => c != null));
  return n;
}

// body renders a message body the way a webmail shows it: text as text, HTML as HTML (Gmail and
// Outlook sanitise HTML; the demo keeps markup so a body can try to imitate mailseal's banner).
export function body(m) {
  const div = el('div', { dir: 'auto' });
  if (!m.body) return div; // opaque-signed: the webmail shows an empty body and smime.p7m
  if (m.body.type === 'text/html') div.innerHTML = m.body.text;
  else div.append(el('pre', { class: 'plain', text: m.body.text }));
  return div;
}
