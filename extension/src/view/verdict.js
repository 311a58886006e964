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
// message could not be fetched or checked in time, so there is no verdict at all. It is shown as
// "Not checked", with why, in a look of its own: never as "Not signed", never as a verdict.
export const statuses = ['valid', 'malformed', 'invalid', 'unsupported', 'weak', 'untrusted', 'revoked',
  'expired', 'mismatch', 'partial', 'encrypted', 'unsigned', 'unavailable'];

const severityOf = {
  valid: 'trusted',
  // Something is wrong with the message or the signer: a forgery looks like this.
  malformed: 'danger', invalid: 'danger', revoked: 'danger', mismatch: 'danger',
  // Signed, but the signature cannot vouch for the whole message or for a trusted identity.
  unsupported: 'caution', weak: 'caution', untrusted: 'caution', expired: 'caution', partial: 'caution',
  encrypted: 'caution',
  // No signature: no claim either way.
  unsigned: 'none',
  // Not checked: mailseal has nothing to say yet, and says why.
  unavailable: 'unchecked',
};

export const icons = { trusted: '✔', confirmed: '@', caution: '!', danger: '✖', none: '○', unchecked: '?' };

// The levels at which the CA validated a person or an organization, not only the address.
export const identityLevels = ['V2', 'V3', 'V4'];

/**
 * @returns {{status: string, severity: 'trusted'|'confirmed'|'caution'|'danger'|'none'|'unchecked',
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

const badgeColours = { trusted: '#1b5e20', confirmed: '#455a64', caution: '#8a5a00', danger: '#b3261e', unchecked: '#3c4a7a' };

/**
 * badgeOf is the toolbar button's badge for the last verdict shown in a tab: the level for a
 * valid signature (green for V2–V4, slate for V1), "!" for a display-name warning or any other
 * verdict that needs care, "?" on blue-grey for a message not checked, nothing for no signature.
 * @returns {{text: string, color: string|null}}
 */
export function badgeOf(report) {
  const { status, severity } = viewOf(report);
  if (severity === 'none') return { text: '', color: null };
  if (severity === 'unchecked') return { text: '?', color: badgeColours.unchecked };
  const text = status === 'valid' && severity !== 'danger' && severity !== 'caution' ? report.level || 'V1' : '!';
  return { text, color: badgeColours[severity] };
}

// The extension's own reasons for "not checked", as sentence codes beside the core's (the locales
// have s_<code>; test/extension/sentences.test.mjs holds them to it): the raw message could not be
// fetched, could not be read, or its check did not finish in time.
export const uncheckedCodes = [
  { code: 'unchecked_fetch', args: 1, english: (a) => `the original message could not be fetched from the mail provider: ${a[0]}` },
  { code: 'unchecked_read', args: 1, english: (a) => `the original message could not be read: ${a[0]}` },
  { code: 'unchecked_timeout', args: 1, english: (a) => `mailseal did not finish checking this message within ${a[0]} seconds` },
];

/**
 * unavailableReport is what the extension shows when it could not get or check the raw message.
 * It is not a verdict and is never cached: the next opening tries again. why is one of
 * uncheckedCodes with its argument (the provider's error, a number of seconds); anything else is
 * said as a fetch failure.
 * @param {{code?: string, args?: unknown[]}|string} why
 */
export function unavailableReport(why) {
  const given = typeof why === 'object' && why ? why : { code: 'unchecked_fetch', args: [why] };
  const known = uncheckedCodes.find((c) => c.code === given.code) ?? uncheckedCodes[0];
  const args = [String((Array.isArray(given.args) ? given.args[0] : undefined) ?? 'unknown error').slice(0, 300)];
  return {
    status: 'unavailable',
    banner: 'Not checked: mailseal could not get the original message',
    reasons: [known.english(args)],
    reasonCodes: [{ code: known.code, args }],
    checks: [],
  };
}
