// @ts-check
// The banner's one line. In English it is the core's own banner text (internal/smime builds it
// from the certificate, limited to what the level vouches for); in other languages the same facts
// are put into that language's sentence.
import { ext } from '../platform.js';
import { el, sentence, t, untrusted } from './dom.js';
import { say } from './sentences.js';
import { memoryItems } from './memory-warnings.js';

const unicodeTricks = { bidi: 'warning_bidi', invisible: 'warning_invisible', 'look-alike': 'warning_lookalike' };

/**
 * displayNameWarnings turns the core's display-name warnings into message keys and their
 * substitutions, the signed address first: [[key, signer, claim], …]. A kind this version does
 * not know is shown as the core's own sentence.
 */
export function displayNameWarnings(report) {
  const signer = report.signer?.email ?? '';
  return (report.warnings ?? []).map((w) => {
    const kind = String(w.kind ?? '').replace(/^display-name-/, '');
    if (kind === 'unicode') return [unicodeTricks[w.claim] ?? 'warning_lookalike', signer];
    if (['address', 'domain', 'organization', 'person'].includes(kind)) return [`warning_${kind}`, signer, w.claim ?? ''];
    return [null, w.detail ?? ''];
  });
}

// organization is the validated organization with its validated country, as the core writes it.
function organization(s) {
  return s.country ? `${s.organization ?? ''} (${s.country})` : s.organization ?? '';
}

export function headline(report) {
  // The locale the extension's strings come from (its own `locale` message): the sentence must be
  // in the same language as the words around it. (Chromium's getUILanguage and @@ui_locale can
  // name the browser's language while the strings fall back to another.)
  const lang = (ext.i18n.getMessage('locale') || ext.i18n.getUILanguage()).toLowerCase();
  // Not checked: the line says why (the severity word before it says "Not checked").
  if (report.status === 'unavailable') return say(report.reasonCodes?.[0], report.reasons?.[0] ?? report.banner);
  if (lang.startsWith('en') && report.banner) return report.banner;
  const s = report.signer ?? {};
  const name = s.pseudonym && s.name ? t('pseudonymOf', s.name) : s.name;
  switch (report.status === 'valid' ? report.level : '') {
    case 'V1': return t('headlineV1', s.email);
    case 'V2': return t('headlineV2', s.email, name ?? '');
    case 'V3': return t('headlineV3', s.email, organization(s));
    // The country stays beside the organization: the same name is registered in many countries.
    case 'V4': return t('headlineV4', s.email, [name, organization(s), s.title].filter(Boolean).join(', '));
    default: {
      const sentence = t(`status_${report.status}`);
      return s.email ? `${sentence} (${s.email})` : sentence;
    }
  }
}

// warningList shows the display-name and sender-memory warnings, one line each, or null when
// there are none.
export function warningList(report) {
  const items = [...displayNameWarnings(report), ...memoryItems(report, (key) => Boolean(ext.i18n.getMessage(key)))];
  if (items.length === 0) return null;
  return el('ul', { class: 'warnings' }, items.map(([key, ...subs]) => el('li', {}, key ? sentence(key, ...subs) : untrusted(subs[0]))));
}
