// The signing identity: import a PKCS #12 file under a passphrase, see what it is, unlock and
// lock it, export and delete it. The file, its password and the passphrase go to the background
// once, for one call into the core; this page keeps none of them (fields are cleared).
import { packBytes, unpackBytes } from '../bytes.js';
import { request } from '../request.js';
import { el, t, untrusted, localize } from '../view/dom.js';
import { signedAs, signedAsLevel } from './signed-as.js';
import { keptForm, refreshKept } from './identity-kept.js';

const $ = (id) => document.getElementById(id);

function showResult(kind, message) {
  $('result').dataset.kind = kind;
  $('result').textContent = message;
}

const day = (s) => new Date(s).toLocaleDateString();

function summaryRows(s) {
  const row = (key, value) => el('tr', {}, el('th', { text: t(key) }), el('td', {}, untrusted(value)));
  return [
    row('identityAddresses', s.addresses.join(', ')),
    row('identityLevel', [s.level, s.levelReason].filter(Boolean).join(' — ')),
    row('fieldSubject', s.subject),
    row('identityIssuer', s.issuer),
    row('identityValidity', `${day(s.notBefore)} – ${day(s.notAfter)}`),
    row('identityKey', s.keyType),
    row('identityTrust', s.trusted ? t('identityTrusted') : s.trustReason),
    row('fieldSHA256', s.fingerprint),
  ];
}

// showSignedAs fills a line (id, id-words) with what recipients' banner shows for summary s.
function showSignedAs(id, s) {
  $(id).hidden = !s;
  if (!s) return;
  $(`${id}-words`).replaceChildren(untrusted(signedAs(s)));
  $(id).dataset.level = signedAsLevel(s);
}

async function refresh() {
  const { identity, unlockedUntil, settings } = await request('identityStatus');
  $('none').hidden = Boolean(identity);
  for (const id of ['summary', 'unlock-form', 'export-form', 'delete', 'lock-state']) $(id).hidden = !identity;
  showSignedAs('signing-as', identity?.summary);
  $('signing-note').hidden = !identity || identity.summary.trusted;
  if (identity && !identity.summary.trusted) $('signing-note').textContent = t('composeUntrustedIdentity', identity.summary.trustReason ?? '');
  $('summary').replaceChildren(...(identity ? summaryRows(identity.summary) : []));
  $('lock-state').textContent = unlockedUntil ? t('identityUnlockedUntil', new Date(unlockedUntil).toLocaleTimeString()) : t('identityLocked');
  $('lock').hidden = !unlockedUntil;
  $('auto-lock').value = settings.autoLockMinutes;
  $('google-client').value = settings.googleClientId;
}

async function fileArgs() {
  const file = $('p12').files[0];
  if (!file) throw new Error(t('identityFile'));
  return { p12: packBytes(new Uint8Array(await file.arrayBuffer())), password: $('p12-password').value };
}

function on(id, event, fn) {
  $(id).addEventListener(event, async (e) => {
    e.preventDefault();
    try {
      await fn();
    } catch (err) {
      showResult('error', err.message);
    }
    await refresh();
  });
}

function main() {
  localize();
  on('preview', 'click', async () => {
    const out = await request('identityPreview', await fileArgs()); // a failure is shown by on()
    $('preview-summary').replaceChildren(...summaryRows(out.summary));
    showSignedAs('preview-signing-as', out.summary);
    showResult('', '');
  });
  on('import-form', 'submit', async () => {
    if ($('passphrase').value !== $('passphrase2').value) return showResult('error', t('identityPassphraseDiffers'));
    const out = await request('identityImport', { ...(await fileArgs()), passphrase: $('passphrase').value });
    $('import-form').reset();
    $('preview-summary').replaceChildren();
    showSignedAs('preview-signing-as', null);
    showResult('ok', t('identityImported', out.summary.addresses.join(', ')));
    await refreshKept(); // the identity it replaced is kept to decrypt
  });
  on('unlock-form', 'submit', async () => {
    const passphrase = $('unlock-passphrase').value;
    $('unlock-passphrase').value = '';
    await request('identityUnlock', { passphrase });
    showResult('ok', '');
  });
  on('lock', 'click', () => request('identityLock'));
  on('export-form', 'submit', async () => {
    const args = { passphrase: $('export-passphrase').value, password: $('export-password').value };
    $('export-passphrase').value = '';
    $('export-password').value = '';
    const out = await request('identityExport', args);
    const url = URL.createObjectURL(new Blob([unpackBytes(out.p12)], { type: 'application/x-pkcs12' }));
    el('a', { href: url, download: 'mailseal-identity.p12' }).click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  });
  on('delete', 'click', async () => {
    if (!confirm(t('identityDeleteConfirm'))) return;
    await request('identityDelete');
  });
  on('settings-form', 'submit', async () => {
    await request('saveSigningSettings', { autoLockMinutes: Number($('auto-lock').value), googleClientId: $('google-client').value });
    showResult('ok', t('saved'));
  });
  keptForm(showResult);
  refresh().catch((err) => showResult('error', err.message));
  refreshKept().catch((err) => showResult('error', err.message));
}

main();
