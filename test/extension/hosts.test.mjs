import { test } from 'node:test';
import assert from 'node:assert/strict';
import { providerNameFor } from '../../extension/src/providers/hosts.js';

test('production hosts over https only; extra hosts only as given, over http', () => {
  assert.equal(providerNameFor('https://mail.google.com/mail/u/0/'), 'gmail');
  assert.equal(providerNameFor('https://outlook.live.com/mail/0/'), 'outlook');
  assert.equal(providerNameFor('http://mail.google.com/mail/u/0/'), null);
  assert.equal(providerNameFor('https://mail.google.com.evil.example/'), null);
  assert.equal(providerNameFor('http://127.0.0.1:8701/mail/u/0/'), null);
  assert.equal(providerNameFor('http://127.0.0.1:8701/mail/u/0/', { '127.0.0.1:8701': 'gmail' }), 'gmail');
  assert.equal(providerNameFor('http://127.0.0.1:8702/', { '127.0.0.1:8701': 'gmail' }), null);
  assert.equal(providerNameFor('not a url'), null);
  assert.equal(providerNameFor('http://127.0.0.1:1/', { constructor: 'gmail' }), null);
});
