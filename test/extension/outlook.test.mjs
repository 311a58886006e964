import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Outlook } from '../../extension/src/providers/outlook.js';
import { dom, outlookConversation } from './fixtures.mjs';

function outlook(url = 'https://outlook.office.com/mail/inbox') {
  const { document, location } = dom(outlookConversation, url);
  return { provider: new Outlook({ document, location }), document };
}

test('conversation view: each opened body by its position, with the row\'s conversation id in Graph\'s alphabet', async () => {
  const { provider } = outlook();
  const opened = provider.scan();
  assert.equal(opened.length, 2); // the body inside a body is content, not a message
  assert.deepEqual(opened.map((o) => o.locator), [
    { conversationId: 'AAQkADk3-Y_z=', index: 0 },
    { conversationId: 'AAQkADk3-Y_z=', index: 1 },
  ]);
  assert.deepEqual(await opened[1].source(), { outlook: { conversationId: 'AAQkADk3-Y_z=', index: 1 } });
  assert.equal(opened[0].account, 'outlook:outlook.office.com');
});

test('a conversation id in the URL wins over the list selection', () => {
  const { provider } = outlook('https://outlook.office.com/mail/inbox/id/AAQkADurl%2Fid%2B%3D');
  assert.equal(provider.scan()[0].locator.conversationId, 'AAQkADurl-id_=');
});

test('an item id in the URL with one opened message is used as is (translated by Graph)', () => {
  const { provider, document } = outlook('https://outlook.live.com/mail/0/inbox/id/AAMkADitem%2B1');
  document.querySelectorAll('.item')[1].remove();
  assert.deepEqual(provider.scan()[0].locator, { itemId: 'AAMkADitem+1' });
});

test('no reading pane or no message id: nothing to report', () => {
  const { provider, document } = outlook();
  document.querySelector('[aria-selected="true"]').setAttribute('aria-selected', 'false');
  assert.equal(provider.scan().length, 0);
  document.querySelector('[data-app-section]').remove();
  assert.equal(provider.candidates().length, 0);
});

test('places the banner before the body, outside it', () => {
  const { provider, document } = outlook();
  const [first] = provider.scan();
  const host = document.createElement('div');
  first.place(host);
  assert.equal(host.nextElementSibling.getAttribute('aria-label'), 'Message body');
  assert.equal(host.closest('[aria-label="Message body"]'), null);
});

test('the sender shown above a body, for the check against the fetched message', async () => {
  const { shownSender } = await import('../../extension/src/providers/outlook.js');
  const { provider, document } = outlook();
  document.querySelectorAll('.hdr')[0].textContent = 'Bob Builder <Bob@Example.org> 10:02';
  const [first, second] = provider.scan();
  assert.equal(first.shownSender, 'bob@example.org');
  assert.equal(second.shownSender, null); // "Carol" alone: nothing to check against
  // An address inside the body is not the sender.
  const body = document.querySelectorAll('[aria-label="Message body"]')[2];
  body.textContent = 'mallory@attacker.example';
  assert.equal(shownSender(body.parentElement, body), null);
});

test('compose: a reply names the reading pane\'s last message by its locator; the ribbon holds the button, "New mail" has it beside', () => {
  const { document, location } = dom(outlookConversation.replace('</body>', `<div data-app-section="ComposeForm" id="reply">
    <div role="toolbar"></div><div aria-label="Message body" contenteditable="true"><p>Thanks</p><div id="divRplyFwdMsg"></div><p>quoted</p></div></div>
    <button aria-label="New mail">New mail</button></body>`), 'https://outlook.office.com/mail/inbox');
  const provider = new Outlook({ document, location });
  const [win] = provider.composeWindows();
  assert.equal(win.id, 'reply');
  assert.ok(provider.composeBar(win).matches('[role="toolbar"]'));
  assert.deepEqual(provider.replyReference(win), { locator: { conversationId: 'AAQkADk3-Y_z=', index: 1 } });
  const toolbar = provider.mailboxToolbar();
  assert.equal(toolbar.inside, false);
  assert.equal(toolbar.element.getAttribute('aria-label'), 'New mail');
});

test('the verdict is asked of the background, which reads the message through Graph, with the sender the page shows', async () => {
  const { provider } = outlook();
  const [first] = provider.scan();
  const asked = [];
  await provider.verdict(first, async (name, args) => { asked.push([name, args]); return { channel: 'c' }; });
  assert.deepEqual(asked, [['verifyOutlook', { account: first.account, locator: first.locator, shownSender: first.shownSender }]]);
});
