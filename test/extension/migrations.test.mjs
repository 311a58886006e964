// Stored data under one schema version: updating from what the previous version stored.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { migrate, migrations, schemaVersion } from '../../extension/src/background/migrations.js';

// memoryArea stands in for storage.local: get(null | key | keys), set, remove, as the browsers do
// (values are copied in and out, as structured clones).
export function memoryArea(initial = {}) {
  const data = structuredClone(initial);
  const pick = (keys) => {
    if (keys === null || keys === undefined) return structuredClone(data);
    const list = Array.isArray(keys) ? keys : [keys];
    return Object.fromEntries(list.filter((k) => Object.hasOwn(data, k)).map((k) => [k, structuredClone(data[k])]));
  };
  return {
    data,
    writes: 0,
    async get(keys) { return pick(keys); },
    async set(items) { this.writes++; Object.assign(data, structuredClone(items)); },
    async remove(keys) { for (const k of [].concat(keys)) delete data[k]; },
  };
}

// What mailseal stored before storage was versioned (commit 78c50eb): the settings the options
// page saved (the mark was written on install), a root the user added, and a sealed identity.
const version0 = {
  settings: { mark: { word: 'lantern', color: '#00695c' }, showUnsignedChip: false, providers: { outlook: false } },
  userRoots: [{ pem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n', sha256: 'ab'.repeat(32), subject: 'CN=Example Root', addedAt: 1767225600000 }],
  signingSettings: { googleClientId: '', autoLockMinutes: 15 },
  signingIdentity: { sealed: 'c2VhbGVk', summary: { addresses: ['alice@example.org'] }, importedAt: 1767225600000 },
  'composeDraft:gmail:gmail:u/0:new': { to: 'bob@example.net', subject: 'draft', savedAt: 1767225600000 },
};

test('updates the unversioned storage: versioned, first run counted as done, signing settings moved, everything else kept', async () => {
  const local = memoryArea(version0);
  const result = await migrate(local, 1767312000000);
  assert.deepEqual(result, { from: 0, to: schemaVersion });
  assert.equal(local.data.schemaVersion, 2);
  assert.deepEqual(local.data.firstRun, { done: true, at: 1767312000000, by: 'update' });
  const { schemaVersion: _v, firstRun: _f, ...rest } = local.data;
  const { signingSettings, ...others } = version0;
  assert.deepEqual(rest, { ...others, settings: { ...version0.settings, ...signingSettings } });
});

// What version 1 stored: the Outlook client id in settings, the Google one in signingSettings.
const version1 = {
  schemaVersion: 1,
  firstRun: { done: true, at: 1, by: 'user' },
  settings: { mark: { word: 'maple', color: '#1565c0' }, outlookClientId: '6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b' },
  signingSettings: { googleClientId: '1234-abc.apps.googleusercontent.com', autoLockMinutes: 45 },
  signingIdentity: { sealed: 'c2VhbGVk', summary: { addresses: ['alice@example.org'] }, importedAt: 1 },
};

test('version 1: both OAuth client ids and the auto-lock end up in settings, read as the settings say', async () => {
  const local = memoryArea(version1);
  assert.deepEqual(await migrate(local, 2), { from: 1, to: 2 });
  assert.equal(local.data.signingSettings, undefined);
  assert.deepEqual(local.data.settings, {
    mark: { word: 'maple', color: '#1565c0' }, outlookClientId: '6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b',
    googleClientId: '1234-abc.apps.googleusercontent.com', autoLockMinutes: 45,
  });
  assert.deepEqual(local.data.firstRun, version1.firstRun);
  assert.deepEqual(local.data.signingIdentity, version1.signingIdentity);
  // Run again (a worker stopped after the move): nothing changes.
  await migrations[1].run(local);
  assert.equal(local.data.settings.googleClientId, '1234-abc.apps.googleusercontent.com');
});

test('a new install is stamped with the current version and has not had its first run', async () => {
  const local = memoryArea();
  assert.deepEqual(await migrate(local), { from: schemaVersion, to: schemaVersion });
  assert.deepEqual(local.data, { schemaVersion });
});

test('runs once: a second start changes nothing, and a user\'s later first run is kept', async () => {
  const local = memoryArea(version0);
  await migrate(local, 1);
  local.data.firstRun = { done: true, at: 2, by: 'user' };
  const writes = local.writes;
  assert.deepEqual(await migrate(local, 3), { from: schemaVersion, to: schemaVersion });
  assert.equal(local.writes, writes);
  assert.deepEqual(local.data.firstRun, { done: true, at: 2, by: 'user' });
});

test('a migration interrupted before the version was written runs again safely', async () => {
  const local = memoryArea(version0);
  await migrations[0].run(local, 5); // the worker stopped here, before schemaVersion was set
  await migrate(local, 6);
  assert.deepEqual(local.data.firstRun, { done: true, at: 5, by: 'update' });
  assert.equal(local.data.schemaVersion, schemaVersion);
});

test('storage from a newer version is left as it is', async () => {
  const newer = { ...version0, schemaVersion: schemaVersion + 1, somethingNew: [1] };
  const local = memoryArea(newer);
  const warn = console.warn;
  console.warn = () => {};
  try {
    assert.deepEqual(await migrate(local), { from: schemaVersion + 1, to: schemaVersion + 1 });
  } finally {
    console.warn = warn;
  }
  assert.deepEqual(local.data, newer);
});

test('migrations are in order, one version each, ending at schemaVersion', () => {
  assert.deepEqual(migrations.map((m) => m.to), Array.from({ length: schemaVersion }, (_, i) => i + 1));
  for (const m of migrations) assert.ok(m.what.length > 10, `migration ${m.to} says what it does`);
});
