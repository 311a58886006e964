// Where signed mail goes and who signs the user in: the Gmail API and Google's OAuth endpoint,
// Microsoft Graph and the Microsoft identity platform. Production uses the public addresses; the
// demo build (and only it: __DEMO__ is a build-time constant, as in background/trust.js) reads
// them from its demo-policy.json, so that the demo webmail on 127.0.0.1 serves both send APIs.
// The OAuth client ids are settings (docs/signing.md says how to register them).
import { ext } from '../platform.js';
import { policy } from '../background/trust.js';
import { loadSettings } from '../background/settings.js';

const production = Object.freeze({
  gmailApiBase: 'https://gmail.googleapis.com',
  googleAuthorize: 'https://accounts.google.com/o/oauth2/v2/auth',
});

/* global __DEMO__ */
async function demoPolicy() {
  if (__DEMO__) {
    const res = await fetch(ext.runtime.getURL('demo-policy.json'));
    return res.ok ? res.json() : {};
  }
  return {};
}

// The signing settings the user (or an administrator, through the options page) sets.
export const signingDefaults = Object.freeze({ googleClientId: '', autoLockMinutes: 30 });

export async function signingSettings() {
  const { signingSettings: s = {} } = await ext.storage.local.get('signingSettings');
  return { ...signingDefaults, ...s };
}

export async function saveSigningSettings(change) {
  const next = await signingSettings();
  if (typeof change.googleClientId === 'string') {
    const id = change.googleClientId.trim();
    if (id && !/^[0-9]+-[0-9a-z]+\.apps\.googleusercontent\.com$/.test(id)) {
      throw new Error('a Google OAuth client id looks like 1234-abc.apps.googleusercontent.com');
    }
    next.googleClientId = id;
  }
  if (change.autoLockMinutes !== undefined) {
    const m = Math.round(Number(change.autoLockMinutes));
    if (!(m >= 1 && m <= 24 * 60)) throw new Error('auto-lock is between 1 minute and 24 hours');
    next.autoLockMinutes = m;
  }
  await ext.storage.local.set({ signingSettings: next });
  return next;
}

/**
 * @returns {Promise<{gmailApiBase: string, googleAuthorize: string, googleClientId: string,
 *   graphBase: string, authority: string, outlookClientId: string}>}
 */
export async function sendEndpoints() {
  const [p, d, s, settings] = await Promise.all([policy(), demoPolicy(), signingSettings(), loadSettings()]);
  return {
    gmailApiBase: d.gmailApiBase ?? production.gmailApiBase,
    googleAuthorize: d.googleAuthorize ?? production.googleAuthorize,
    googleClientId: d.googleClientId ?? s.googleClientId,
    graphBase: p.graphBase,
    authority: p.authority,
    outlookClientId: p.outlookClientId || settings.outlookClientId,
  };
}
