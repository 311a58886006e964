// The toolbar popup: the user's security mark, the verdicts shown in the current tab, and the
// Outlook connection (the one place an interactive sign-in starts).
import { ext } from '../platform.js';
import { request } from '../request.js';
import { el, t, untrusted, mark, localize } from '../view/dom.js';
import { icons } from '../view/verdict.js';
import { headline } from '../view/headline.js';

async function main() {
  localize();
  const { settings } = await request('getSettings');
  document.getElementById('mark').replaceChildren(mark(settings.mark));
  const [tab] = await ext.tabs.query({ active: true, currentWindow: true });
  const items = tab ? await request('tabStatus', { tabId: tab.id }) : [];
  const box = document.getElementById('status');
  box.replaceChildren(...(items.length ? items.map(({ report, view }) => el('div', { class: 'status-item', 'data-severity': view.severity },
    el('span', { class: 'icon', 'aria-hidden': 'true', text: icons[view.severity] }), ' ',
    el('strong', { text: t(`severity_${view.severity}`) }), ' ',
    untrusted(headline(report)))) : [el('p', { class: 'hint', text: t('popupNothing') })]));
  document.getElementById('open-options').addEventListener('click', () => ext.runtime.openOptionsPage());
  document.getElementById('open-identity').addEventListener('click', () => ext.tabs.create({ url: ext.runtime.getURL('pages/identity.html') }));
  document.getElementById('connect-outlook').addEventListener('click', async () => {
    const out = document.getElementById('outlook-result');
    try {
      await request('connectOutlook');
      out.textContent = t('outlookConnected');
    } catch (err) {
      out.textContent = err.message;
    }
  });
}

main();
