// Red team: what a received message can do to the sender memory through the page around it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Gmail } from '../../extension/src/providers/gmail.js';
import { dom, gmailThread } from './fixtures.mjs';

// Gmail titles an open conversation "<subject> - <account> - Gmail". The account names the sender
// memory the message is checked against and teaches: a subject holding an address (the sender's
// chooses it) must not pick another memory, empty and without warnings, nor add accounts until
// the real one drops out.
test("the account is the title's last address, never one the subject holds", () => {
  const { document, location } = dom(gmailThread, 'https://mail.google.com/mail/u/1/#inbox/FMfcgz');
  const gmail = new Gmail({ document, location, fetcher: {} });
  for (const subject of ['Your statement from alerts@example-bank.example', 'x@y.example - z@w.example - Gmail', 'Re: a@b.example']) {
    document.title = `${subject} - Alice.Example@gmail.com - Gmail`;
    assert.equal(gmail.account, 'gmail:alice.example@gmail.com', document.title);
  }
  document.title = 'Inbox (2) - Alice.Example@gmail.com - Gmail';
  assert.equal(gmail.account, 'gmail:alice.example@gmail.com');
  document.title = 'alerts@example-bank.example';
  assert.equal(gmail.account, 'gmail:u/1', 'a title without the " - Gmail" form names the index');
});
