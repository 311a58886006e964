// @ts-check
// The first-run page: opened on install (worker.js), again from the popup. It walks
// through the security mark (what it is for, and choosing one), an optional signing identity
// (the identity page) and, for Outlook, connecting the account; "Done" records the first run
// (background/first-run.js), after which the popup stops pointing here.
import { ext } from '../platform.js';
import { request } from '../request.js';
import { t, mark, localize } from '../view/dom.js';
import { connectOutlookButton } from '../view/connect-outlook.js';

/** @returns {any} a form control, an element or null */
const $ = (id) => document.getElementById(id);

// Words and colours offered by "Another one"; the user may type any word.
const words = ['harbor', 'maple', 'comet', 'lantern', 'orchid', 'falcon', 'glacier', 'saffron', 'meadow', 'cobalt', 'ember', 'willow'];
const colors = ['#7b1fa2', '#00695c', '#c62828', '#1565c0', '#ef6c00', '#2e7d32', '#ad1457', '#4e342e'];
const pick = (list) => list[crypto.getRandomValues(new Uint32Array(1))[0] % list.length];

function preview() {
  $('sample-mark').replaceChildren(mark({ word: $('mark-word').value.trim(), color: $('mark-color').value }));
}

async function showIdentity() {
  const { identity } = await request('identityStatus');
  $('identity-state').textContent = identity
    ? t('firstRunIdentityHave', identity.summary.addresses.join(', '))
    : t('identityNone');
}

async function main() {
  localize();
  const { settings, policy } = await request('getSettings');
  $('mark-word').value = settings.mark.word;
  $('mark-color').value = settings.mark.color;
  preview();
  for (const id of ['mark-word', 'mark-color']) $(id).addEventListener('input', preview);
  $('mark-another').addEventListener('click', () => {
    $('mark-word').value = pick(words.filter((w) => w !== $('mark-word').value));
    $('mark-color').value = pick(colors.filter((c) => c !== $('mark-color').value));
    preview();
  });
  $('mark-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      await request('saveSettings', { mark: { word: $('mark-word').value, color: $('mark-color').value } });
      $('mark-result').textContent = t('firstRunMarkSaved');
    } catch (err) {
      $('mark-result').textContent = err.message;
    }
  });

  $('open-identity').addEventListener('click', () => ext.tabs.create({ url: ext.runtime.getURL('pages/identity.html') }));
  // The identity page is another tab: show what it did when the user comes back.
  document.addEventListener('visibilitychange', () => { if (!document.hidden) showIdentity().catch((err) => console.warn(err.message)); });
  // Without an answer the step still says what to do; the line about the current identity stays empty.
  showIdentity().catch((err) => console.warn(err.message));

  const hasClientId = Boolean(policy.outlookClientId || settings.outlookClientId);
  $('outlook-needs-id').hidden = hasClientId;
  $('connect-outlook').disabled = !hasClientId;
  $('open-options').addEventListener('click', () => ext.runtime.openOptionsPage());
  connectOutlookButton($('connect-outlook'), $('outlook-result'));

  $('done').addEventListener('click', async () => {
    await request('firstRun', { done: true });
    $('done-result').textContent = t('firstRunFinished');
  });
}

main();
