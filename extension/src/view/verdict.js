// How a report is shown: its severity (three, each with a word and an icon, never colour alone)
// and whether it is a banner or the quiet chip. Shared by the background, the banner frame and
// the popup so that all three agree.

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

export const icons = { trusted: '✔', caution: '!', danger: '✖', none: '○' };

/** @returns {{status: string, severity: 'trusted'|'caution'|'danger'|'none', kind: 'banner'|'chip'}} */
export function viewOf(report) {
  const status = statuses.includes(report?.status) ? report.status : 'malformed';
  const severity = severityOf[status];
  return { status, severity, kind: severity === 'none' ? 'chip' : 'banner' };
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
