// The details view: everything the report says, for a person who wants to check. All text is set
// as text; certificate and message strings are isolated with <bdi>.
import { el, t, untrusted } from './dom.js';
import { identityLevels } from './verdict.js';

function when(v) {
  if (!v) return '';
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? String(v) : d.toLocaleString();
}

function section(titleKey, ...content) {
  const body = content.flat().filter(Boolean);
  if (body.length === 0) return null;
  return el('section', {}, el('h2', { text: t(titleKey) }), ...body);
}

function list(items, render = (x) => untrusted(x)) {
  if (!items?.length) return null;
  return el('ul', {}, items.map((x) => el('li', {}, render(x))));
}

function field(labelKey, value) {
  if (value === undefined || value === null || value === '') return null;
  return [el('dt', { text: t(labelKey) }), el('dd', {}, value instanceof Node ? value : untrusted(value))];
}

function fields(...pairs) {
  const items = pairs.filter(Boolean).flat();
  return items.length ? el('dl', {}, items) : null;
}

// validated says, for a valid signature, whether the CA validated an identity (V2–V4) or only
// the address (V1): the same split as the banner's look.
function validated(report) {
  if (report.status !== 'valid' || !report.level) return null;
  const identity = identityLevels.includes(report.level);
  return el('p', { class: identity ? 'validated identity' : 'validated address-only', text: t(identity ? 'validatedIdentity' : 'validatedAddressOnly') });
}

// isolate keeps a message's own text from reordering the sentence around it (FSI … PDI), where
// a <bdi> cannot be used because the sentence is one localized string.
const isolate = (v) => `\u2068${String(v ?? '')}\u2069`;

/** message names the message a banner belongs to, so a banner moved beside another one says so. */
export function messageIs(message) {
  if (!message) return null;
  return el('p', { class: 'message-is', text: t('bannerMessageIs', isolate(message.from), isolate(message.subject), isolate(message.date)) });
}

export function details(report, { experimental, message }) {
  const s = report.signer;
  return el('div', { class: 'details' },
    messageIs(message),
    experimental ? el('p', { class: 'experimental', text: t('outlookExperimental') }) : null,
    section('detailsWhy', list(report.reasons), list(report.notes)),
    s ? section('detailsSigner', fields(
      field('fieldEmail', s.email),
      field(s.pseudonym ? 'fieldPseudonym' : 'fieldName', s.name),
      field('fieldOrganization', s.organization),
      field('fieldCountry', s.country),
      field('fieldTitle', s.title),
      field('fieldSigningTime', when(s.signingTime)),
      field('fieldPolicy', s.policyOID),
      field('fieldFingerprint', s.fingerprint),
    )) : null,
    report.from ? section('detailsFrom', fields(
      field('fieldDisplayName', report.from.displayName),
      field('fieldAddress', report.from.address),
    )) : null,
    section('detailsLevel', validated(report), report.levelReason ? el('p', {}, untrusted(report.levelReason)) : null),
    section('detailsUncovered', list(report.uncovered)),
    section('detailsOutside', list(report.outside)),
    section('detailsTimes', fields(
      field('fieldDelivery', when(report.deliveryTime)),
      field('fieldValidation', when(report.validationTime)),
      field('fieldSignedPart', report.signedPart ? report.signedPart : null),
      field('fieldOpaque', report.opaque ? t('yes') : null),
    )),
    section('detailsChecks', list(report.checks, (c) => el('span', { class: c.ok ? 'check ok' : 'check failed' },
      el('span', { class: 'check-mark', 'aria-hidden': 'true', text: c.ok ? '✔ ' : '✖ ' }),
      el('strong', { text: `${c.name}: ` }),
      el('span', { class: 'sr-only', text: c.ok ? t('checkPassed') : t('checkFailed') }),
      untrusted(c.detail)))),
    section('detailsChain', report.chain?.map((c, i) => el('div', { class: 'cert' },
      el('h3', { text: i === 0 ? t('chainSigner') : c.anchor ? t('chainAnchor', c.anchor) : t('chainIntermediate') }),
      fields(
        field('fieldSubject', c.subject),
        field('fieldIssuer', c.issuer),
        field('fieldValidity', `${when(c.notBefore)} – ${when(c.notAfter)}`),
        field('fieldSHA256', c.sha256),
        field('fieldSHA1', c.sha1),
        field('fieldPolicies', c.policyOIDs?.join(', ')),
      )))),
    section('detailsAttached', list(report.attached, (a) => el('span', {}, untrusted(`${a.part}: ${a.report?.banner ?? a.report?.status}`)))),
  );
}
