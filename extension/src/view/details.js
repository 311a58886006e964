// The details view. It leads with the three facts a person needs: who signed (as far as the CA
// validated it), who validated that, and what the signature does not cover; the reasons for any
// other verdict follow, and everything else is under "Technical details" (a <details> element, so
// it opens with the keyboard). All text is set as text; certificate and message strings are
// isolated with <bdi>; the core's sentences are said from their codes (sentences.js).
import { el, sentence, t, untrusted } from './dom.js';
import { identityLevels } from './verdict.js';
import { checkName, lines, sentenceNode } from './sentences.js';

// when is a time in the language of the extension's strings (not the browser's, which may differ).
function when(v) {
  if (!v) return '';
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) return String(v);
  try {
    return d.toLocaleString(t('locale').replace('_', '-'));
  } catch {
    return d.toLocaleString();
  }
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

// said lists a report's sentences (reasons, notes, …) from their codes, in the reader's language.
function said(english, codes) {
  return list(lines(english, codes), ({ english: e, text }) => (text ? sentenceNode(text, e) : untrusted(e)));
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

// commonName is the CN of a distinguished name as the core writes it ("CN=…, O=…"), else the whole.
function commonName(dn) {
  const m = /(?:^|,\s*)CN=((?:[^,\\]|\\.)+)/.exec(String(dn ?? ''));
  return m ? m[1] : String(dn ?? '');
}

function levelReason(report) {
  const codes = Array.isArray(report.levelReasonCodes) && report.levelReasonCodes.length ? report.levelReasonCodes : null;
  if (!codes) return report.levelReason ? untrusted(report.levelReason) : null;
  return el('span', {}, codes.flatMap((c, i) => [i ? t('clauseSeparator') : null, sentenceNode(c, '')]).filter(Boolean));
}

// who is what the CA validated about the signer, or why no identity is shown.
function who(report) {
  const s = report.signer;
  if (report.status === 'valid' && s) {
    const org = s.organization ? (s.country ? `${s.organization} (${s.country})` : s.organization) : null;
    return [
      fields(
        field(s.pseudonym ? 'fieldPseudonym' : 'fieldName', s.name),
        field('fieldOrganization', org),
        field('fieldTitle', s.title),
        field('fieldEmail', s.email),
      ),
      validated(report),
    ];
  }
  const why = levelReason(report);
  return why ? el('p', {}, t('factsNoIdentity', ''), why) : null;
}

// byWhom names the CA that issued the signer's certificate and who trusts its root.
function byWhom(report) {
  const anchor = report.chain?.length ? report.chain[report.chain.length - 1].anchor : '';
  if (report.status !== 'valid' || !report.signer || !anchor) return el('p', { text: t('factsByWhomNone') });
  return el('p', {}, sentence('factsByWhomValue', commonName(report.signer.issuer), t(`anchor_${anchor}`)));
}

// notCovered is what a reader might take as signed that is not.
function notCovered(report) {
  const headers = report.uncovered?.length ? el('p', {}, t('factsNotCoveredHeaders', report.uncovered.join(', '))) : null;
  const outside = said(report.outside, report.outsideCodes);
  if (!headers && !outside) return report.status === 'valid' ? el('p', { text: t('factsNothingUncovered') }) : null;
  return [headers, outside];
}

export function details(report, { experimental, message }) {
  const s = report.signer;
  const signed = Boolean(s);
  return el('div', { class: 'details' },
    messageIs(message),
    experimental ? el('p', { class: 'experimental', text: t('outlookExperimental') }) : null,
    signed ? section('factsWho', who(report)) : null,
    signed ? section('factsByWhom', byWhom(report)) : null,
    signed ? section('factsNotCovered', notCovered(report)) : null,
    report.status !== 'valid' || report.warnings?.length ? section('detailsWhy', said(report.reasons, report.reasonCodes)) : null,
    // A From display name that claims more than the certificate: what it says, beside the facts.
    report.warnings?.length ? fromField(report) : null,
    technical(report));
}

function fromField(report) {
  return report.from ? section('detailsFrom', fields(
    field('fieldDisplayName', report.from.displayName),
    field('fieldAddress', report.from.address),
  )) : null;
}

// technical is everything else, closed until asked for.
function technical(report) {
  const s = report.signer;
  const body = [
    section('detailsNotes', said(report.notes, report.noteCodes)),
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
    report.warnings?.length ? null : fromField(report),
    section('detailsLevel', levelReason(report)),
    section('detailsTimes', fields(
      field('fieldDelivery', when(report.deliveryTime)),
      field('fieldValidation', when(report.validationTime)),
      field('fieldSignedPart', report.signedPart ? report.signedPart : null),
      field('fieldOpaque', report.opaque ? t('yes') : null),
    )),
    section('detailsChecks', list(report.checks, (c) => el('span', { class: c.ok ? 'check ok' : 'check failed' },
      el('span', { class: 'check-mark', 'aria-hidden': 'true', text: c.ok ? '✔ ' : '✖ ' }),
      el('strong', { text: `${checkName(c.name)}: ` }),
      el('span', { class: 'sr-only', text: c.ok ? t('checkPassed') : t('checkFailed') }),
      c.code ? sentenceNode({ code: c.code, args: c.args, then: c.then }, c.detail) : untrusted(c.detail)))),
    section('detailsChain', report.chain?.map((c, i) => el('div', { class: 'cert' },
      el('h3', { text: i === 0 ? t('chainSigner') : c.anchor ? t('chainAnchor', t(`anchor_${c.anchor}`)) : t('chainIntermediate') }),
      fields(
        field('fieldSubject', c.subject),
        field('fieldIssuer', c.issuer),
        field('fieldValidity', `${when(c.notBefore)} – ${when(c.notAfter)}`),
        field('fieldSHA256', c.sha256),
        field('fieldSHA1', c.sha1),
        field('fieldPolicies', c.policyOIDs?.join(', ')),
      )))),
    section('detailsSkipped', said(report.skipped, report.skippedCodes)),
    section('detailsAttached', list(report.attached, (a) => el('span', {}, untrusted(`${a.part}: ${a.report?.banner ?? a.report?.status}`)))),
  ].filter(Boolean);
  if (!body.length) return null;
  return el('details', { class: 'technical' }, el('summary', { text: t('technicalDetails') }), ...body);
}
