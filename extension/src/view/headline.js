// The banner's one line. In English it is the core's own banner text (internal/smime builds it
// from the certificate, limited to what the level vouches for); in other languages the same facts
// are put into that language's sentence.
import { ext } from '../platform.js';
import { t } from './dom.js';

export function headline(report) {
  // The locale the extension's strings come from (its own `locale` message): the sentence must be
  // in the same language as the words around it. (Chromium's getUILanguage and @@ui_locale can
  // name the browser's language while the strings fall back to another.)
  const lang = (ext.i18n.getMessage('locale') || ext.i18n.getUILanguage()).toLowerCase();
  if (lang.startsWith('en') && report.banner) return report.banner;
  const s = report.signer ?? {};
  const name = s.pseudonym && s.name ? t('pseudonymOf', s.name) : s.name;
  switch (report.status === 'valid' ? report.level : '') {
    case 'V1': return t('headlineV1', s.email);
    case 'V2': return t('headlineV2', s.email, name ?? '');
    case 'V3': return t('headlineV3', s.email, s.country ? `${s.organization ?? ''} (${s.country})` : s.organization ?? '');
    case 'V4': return t('headlineV4', s.email, [name, s.organization, s.title].filter(Boolean).join(', '));
    default: {
      const sentence = t(`status_${report.status}`);
      return s.email ? `${sentence} (${s.email})` : sentence;
    }
  }
}
