// How a report is shown: its severity (each with a word and an icon, never colour alone) and
// whether it is a banner or the quiet chip. Shared by the background (and its toolbar badge), the
// banner frame and the popup so that all agree.
//
// What was validated decides the look of a valid signature: a person or an organization (V2–V4)
// is 'trusted' ("Verified"); the address alone (V1) is 'confirmed', a neutral look of its own
// ("Address confirmed"); a From display name that claims more than the certificate carries (the
// core's report.warnings) is 'danger' at any level ("Check the sender"). The sender memory's
// warnings (memory-warnings.js) make any verdict 'danger' ("Check the sender") or raise a quiet
// one to 'caution'.
import { memorySeverity } from './memory-warnings.js';

// Statuses of the core (internal/smime/report.go) plus the extension's own "unavailable": the raw
// message could not be fetched, so there is no verdict at all.
export const statuses = ['valid', 'malformed', 'invalid', 'unsupported', 'weak', 'untrusted', 'revoked',
  'expired', 'mismatch', 'partial', 'encrypted', 'unsigned', 'unavailable'];

const severityOf = {
  valid: 'trusted',
  // Something is wrong with the message or the signer: a forgery looks like this.
  malformed: 'danger', invalid: 'danger', revoked: 'danger', mismatch: 'danger',
  // Signed, but the signature cannot vouch for the whole message or for a trusted identity.
  unsupported: 'caution', weak: 'caution', untrusted: 'caution', expired: 'caution', partial: 'caution',
  encrypted: 'caution',
  // No signature, or not checked: no claim either way.
  unsigned: 'none', unavailable: 'none',
};

export const icons = { trusted: '✔', confirmed: '@', caution: '!', danger: '✖', none: '○' };

// The levels at which the CA validated a person or an organization, not only the address.
export const identityLevels = ['V2', 'V3', 'V4'];

/**
 * @returns {{status: string, severity: 'trusted'|'confirmed'|'caution'|'danger'|'none',
 *   word: string, kind: 'banner'|'chip'}} word is the message name of the severity word.
 */
export function viewOf(report) {
  const status = statuses.includes(report?.status) ? report.status : 'malformed';
  let severity = severityOf[status];
  let word = `severity_${severity}`;
  if (status === 'valid') {
    if (report.warnings?.length) [severity, word] = ['danger', 'severity_displayName'];
    else if (!identityLevels.includes(report.level)) [severity, word] = ['confirmed', 'severity_confirmed'];
  }
  const remembered = memorySeverity(report);
  if (remembered === 'danger') [severity, word] = ['danger', 'severity_displayName'];
  else if (remembered === 'caution' && ['none', 'trusted', 'confirmed'].includes(severity)) [severity, word] = ['caution', 'severity_caution'];
  return { status, severity, word, kind: severity === 'none' ? 'chip' : 'banner' };
}

const badgeColours = { trusted: '#1b5e20', confirmed: '#455a64', caution: '#8a5a00', danger: '#b3261e' };

/**
 * badgeOf is the toolbar button's badge for the last verdict shown in a tab: the level for a
 * valid signature (green for V2–V4, slate for V1), "!" for a display-name warning or any other
 * verdict that needs care, nothing for no signature.
 * @returns {{text: string, color: string|null}}
 */
export function badgeOf(report) {
  const { status, severity } = viewOf(report);
  if (severity === 'none') return { text: '', color: null };
  const text = status === 'valid' && severity !== 'danger' && severity !== 'caution' ? report.level || 'V1' : '!';
  return { text, color: badgeColours[severity] };
}

// unavailableReport is what the extension shows when it could not get the raw message. It is not
// a verdict and is never cached: the next opening tries again.
export function unavailableReport(reason) {
  return {
    status: 'unavailable',
    banner: 'Signature not checked: the original message could not be fetched',
    reasons: [String(reason ?? 'unknown error').slice(0, 300)],
    checks: [],
  };
}
