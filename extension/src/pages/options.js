// @ts-check
// Options: the security mark, providers, roots "trusted by you", the Outlook app registration id,
// and what an administrator set by policy (read-only here).
import { ext } from '../platform.js';
import { request } from '../request.js';
import { el, t, untrusted, mark, localize } from '../view/dom.js';
import { refreshMemory, setUpMemory } from './options-memory.js';

/** @returns {any} a form control, an element or null */
const $ = (id) => document.getElementById(id);
const crlOrigins = ['http://*/*']; // the same as background/revocation.js

async function refresh() {
  const { settings, policy, userRoots } = await request('getSettings');
  $('mark-word').value = settings.mark.word;
  $('mark-color').value = settings.mark.color;
  $('mark-preview').replaceChildren(mark(settings.mark));
  for (const name of ['gmail', 'outlook']) {
    const box = $(`provider-${name}`);
    box.checked = settings.providers[name] && policy.providers?.[name] !== false;
    box.disabled = policy.providers?.[name] === false;
  }
  $('providers-policy').textContent = policy.providers ? t('providersByPolicy') : '';
  $('show-chip').checked = settings.showUnsignedChip;
  const granted = await ext.permissions.contains({ origins: crlOrigins });
  const byPolicy = ['off', 'soft-fail', 'hard-fail'].includes(policy.revocation);
  $('check-revocation').checked = granted && (byPolicy ? policy.revocation !== 'off' : settings.checkRevocation);
  $('check-revocation').disabled = byPolicy && (policy.revocation === 'off' || granted);
  $('revocation-state').textContent = byPolicy
    ? t(policy.revocation === 'off' ? 'revocationPolicyOff' : granted ? 'revocationByPolicy' : 'revocationPolicyNeedsPermission', policy.revocation)
    : '';
  $('roots').replaceChildren(...userRoots.map((r) => el('tr', {},
    el('td', {}, untrusted(r.subject || '—')),
    el('td', {}, untrusted(r.sha256)),
    el('td', {}, el('button', { type: 'button', text: t('rootsRemove'), onclick: async () => { await request('removeUserRoot', { sha256: r.sha256 }); refresh(); } })))));
  $('policy-roots').textContent = t('policyRoots', policy.roots);
  $('outlook-client').value = policy.outlookClientId || settings.outlookClientId;
  $('outlook-client').disabled = Boolean(policy.outlookClientId);
  await refreshMemory();
  const stats = await request('stats');
  $('about').textContent = t('aboutCore', stats.version || '—', new Date(stats.bootedAt).toLocaleTimeString());
}

function onSubmit(id, fn) {
  $(id).addEventListener('submit', async (e) => {
    e.preventDefault();
    await fn();
    await refresh();
  });
}

async function main() {
  localize();
  onSubmit('mark-form', () => request('saveSettings', { mark: { word: $('mark-word').value, color: $('mark-color').value } }));
  for (const name of ['gmail', 'outlook']) {
    $(`provider-${name}`).addEventListener('change', (e) => request('saveSettings', { providers: { [name]: e.target.checked } }));
  }
  $('show-chip').addEventListener('change', (e) => request('saveSettings', { showUnsignedChip: e.target.checked }));
  // The browser asks the user for the host permission here, in the click that turns checking on.
  $('check-revocation').addEventListener('change', async (e) => {
    const on = e.target.checked;
    const granted = on ? await ext.permissions.request({ origins: crlOrigins }).catch(() => false) : true;
    if (on && !granted) $('revocation-state').textContent = t('revocationDenied');
    await request('saveSettings', { checkRevocation: on && granted });
    await refresh();
    if (on && !granted) $('revocation-state').textContent = t('revocationDenied');
  });
  $('roots-file').addEventListener('change', async (e) => {
    const file = e.target.files?.[0];
    if (file && file.size < 1 << 20) $('roots-pem').value = await file.text();
  });
  onSubmit('roots-form', async () => {
    try {
      const n = await request('addUserRoots', { pem: $('roots-pem').value });
      $('roots-result').textContent = t('rootsAdded', n);
      $('roots-pem').value = '';
    } catch (err) {
      $('roots-result').textContent = err.message;
    }
  });
  setUpMemory();
  onSubmit('outlook-form', async () => {
    try {
      await request('saveSettings', { outlookClientId: $('outlook-client').value });
      $('outlook-result').textContent = t('saved');
    } catch (err) {
      $('outlook-result').textContent = err.message;
    }
  });
  await refresh();
}

main();
