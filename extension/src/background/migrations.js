// @ts-check
// What mailseal keeps in storage.local lives under one schema version, the `schemaVersion` key.
// The background runs migrate() each time it starts (install, update, browser start, a worker
// woken after idling) and answers no request before it is done (main.js), so nothing reads
// storage.local in an older shape.
//
// storage.local, version 2:
//   schemaVersion    2
//   settings         the user's choices (config.js), the OAuth client ids of both providers and
//                    the auto-lock included; only what differs from the defaults, and mark
//   userRoots        roots "trusted by you" (trust.js)
//   firstRun         {done, at, by}: the first-run page was finished ('user') or the install
//                    predates it ('update'); absent until then (first-run.js)
//   signingIdentity, signingSession   the sealed identity and its unlocked session (src/signing/)
//   composeDraft:*   the compose window's drafts (pages/compose.js)
//   memoryAccounts, memory:<account>   the sender memory (background/memory.js); the core versions its file
//
// storage.session is not versioned: both browsers empty it on every update and browser start, so
// what it holds (reports, channels, tokens) was always written by the running version.
//
// A migration takes storage.local from version `to - 1` to `to`. The version is written after the
// migration's own writes, so a worker stopped in between runs the migration again: each must be
// safe to run twice. A new one goes at the end of the list, with a test that starts from the
// shape the previous version stored (test/extension/migrations.test.mjs).
export const migrations = [
  {
    to: 1,
    what: 'installs from before the first-run page have been through the options page that stood for it',
    async run(local, now) {
      const { settings, firstRun } = await local.get(['settings', 'firstRun']);
      if (settings && !firstRun) await local.set({ firstRun: { done: true, at: now, by: 'update' } });
    },
  },
  {
    to: 2,
    what: 'the signing settings (Google client id, auto-lock) join the other settings, beside the Outlook client id',
    async run(local) {
      const { settings = {}, signingSettings: old } = await local.get(['settings', 'signingSettings']);
      if (!old) return;
      const moved = {};
      if (typeof old.googleClientId === 'string') moved.googleClientId = old.googleClientId;
      if (Number.isInteger(old.autoLockMinutes)) moved.autoLockMinutes = old.autoLockMinutes;
      await local.set({ settings: { ...settings, ...moved } });
      await local.remove('signingSettings');
    },
  },
];

export const schemaVersion = migrations.at(-1).to;

/**
 * migrate brings storage.local to schemaVersion. An empty area is a new install: it is stamped,
 * not migrated. An area from a newer version (the user went back to an older mailseal) is left as
 * it is: migrations only go forward.
 * @param {{get: Function, set: Function, remove: Function}} local  storage.local, or a test's stand-in
 * @returns {Promise<{from: number, to: number}>}
 */
export async function migrate(local, now = Date.now()) {
  // The common case, at every start of the worker, reads one key.
  const { schemaVersion: stored } = await local.get('schemaVersion');
  if (stored === schemaVersion) return { from: stored, to: stored };
  if (stored === undefined && Object.keys(await local.get(null)).length === 0) {
    await local.set({ schemaVersion });
    return { from: schemaVersion, to: schemaVersion };
  }
  const from = Number.isInteger(stored) ? stored : 0;
  if (from > schemaVersion) {
    console.warn(`mailseal: storage is at schema version ${from}, newer than this version knows (${schemaVersion}); left as it is`);
    return { from, to: from };
  }
  for (const m of migrations) {
    if (m.to <= from) continue;
    await m.run(local, now);
    await local.set({ schemaVersion: m.to });
  }
  return { from, to: schemaVersion };
}
