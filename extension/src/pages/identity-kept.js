// The identity page's list of identities kept to decrypt mail (signing/kept.js): earlier signing
// identities (kept on renewal) and identities imported to decrypt only. Each says what it can do;
// removing one asks first. The file, its password and the passphrase go to the background once,
// for one call into the core; the fields are cleared.
import { packBytes } from '../bytes.js';
import { request } from '../request.js';
import { el, t, untrusted } from '../view/dom.js';

const $ = (id) => document.getElementById(id);
const day = (s) => new Date(s).toLocaleDateString();
const keptWhy = Object.freeze({ renewed: 'keptRenewed', replaced: 'keptReplaced', imported: 'keptImported' });

/** abilities says what a kept identity does, in words: it decrypts, and why it does not sign. */
export function abilities(s) {
  const decrypts = s.canDecrypt ? t('keptDecrypts') : t('keptDoesNotDecrypt');
  return `${decrypts} ${t('keptNeverSigns')}${s.signReason ? ` ${s.signReason}` : ''}`;
}

function item(k, done) {
  const s = k.summary;
  const remove = el('button', { type: 'button', class: 'danger', text: t('keptRemove') });
  remove.addEventListener('click', async () => {
    if (!confirm(t('keptRemoveConfirm', s.addresses.join(', ')))) return;
    await request('identityKeptRemove', { fingerprint: s.fingerprint });
    await done();
  });
  return el('li', { class: 'kept', 'data-fingerprint': s.fingerprint },
    el('strong', {}, untrusted(s.addresses.join(', '))), ' ',
    el('span', { class: 'hint' }, untrusted(`${s.issuer} · ${day(s.notBefore)} – ${day(s.notAfter)} · ${t(keptWhy[k.why] ?? 'keptImported')}`)),
    el('p', { class: 'abilities', text: abilities(s) }), remove);
}

export async function refreshKept() {
  const list = await request('identityKeptList');
  $('kept-none').hidden = list.length > 0;
  $('kept-list').replaceChildren(...list.map((k) => item(k, refreshKept)));
}

/** keptForm wires the import of an identity to decrypt only; show(kind, message) reports the outcome. */
export function keptForm(show) {
  $('kept-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      const file = $('kept-p12').files[0];
      if (!file) throw new Error(t('identityFile'));
      const args = { p12: packBytes(new Uint8Array(await file.arrayBuffer())), password: $('kept-password').value, passphrase: $('kept-passphrase').value };
      $('kept-password').value = '';
      $('kept-passphrase').value = '';
      const out = await request('identityKeptImport', args);
      $('kept-form').reset();
      show('ok', t('keptImportedResult', out.summary.addresses.join(', ')));
    } catch (err) {
      show('error', err.message);
    }
    await refreshKept();
  });
}
