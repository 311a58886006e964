// DOM fixtures built from the publicly documented structure of the two message views (the same
// sources as the selector tables in extension/src/providers/*.js), parsed by linkedom.
import { parseHTML } from 'linkedom';

// A Gmail conversation: two expanded messages (one carrying only the decimal id), one collapsed,
// and a body that imitates a message container.
export const gmailThread = `<!doctype html><html><head><title>Inbox (2) - Alice.Example@gmail.com - Gmail</title></head><body>
<div role="main"><div class="nH">
  <h2 class="hP" data-legacy-thread-id="18c2a0f0e1d2c3b4">Quarterly report</h2>
  <div class="adn ads" data-message-id="#msg-f:1785000000000000001" data-legacy-message-id="18C5D2A6F1B30001">
    <div class="gs"><div class="gE iv gt"><span class="gD" email="bob@example.org">Bob</span></div>
      <div class="ii gt"><div class="a3s aiL">First message.
        <div class="adn ads" data-message-id="#msg-f:1" data-legacy-message-id="00000000deadbeef"><div class="ii gt"><div class="a3s">fake</div></div></div>
      </div></div></div>
  </div>
  <div class="adn ads" data-message-id="#msg-f:1785000000000000002">
    <div class="gs"><div class="ii gt"><div class="a3s aiL">Second message.</div></div></div>
  </div>
  <div class="adn ads" data-message-id="#msg-f:1785000000000000003" data-legacy-message-id="18c5d2a6f1b30003">
    <div class="gs"><div class="gE iv gt"><span class="gD" email="carol@example.org">Carol</span> (collapsed)</div></div>
  </div>
</div></div></body></html>`;

// Outlook's reading pane in conversation view: the list row with data-convid, two opened
// messages, and a body that imitates a message body.
export const outlookConversation = `<!doctype html><html><head><title>Mail - Alice - Outlook</title></head><body>
<div role="listbox" aria-activedescendant="r1">
  <div role="option" id="r0" data-convid="AAQkADother=" aria-selected="false">Other</div>
  <div role="option" id="r1" data-convid="AAQkADk3/Y+z=" aria-selected="true">Quarterly report</div>
</div>
<div data-app-section="MailReadCompose">
  <div class="item"><div class="hdr">Bob</div><div aria-label="Message body">First.
    <div aria-label="Message body">fake body inside a body</div></div></div>
  <div class="item"><div class="hdr">Carol</div><div aria-label="Message body">Second.</div></div>
</div></body></html>`;

// The same two views after a redesign that renamed what the selector tables name (the demo's
// ?layout=changed serves the same renames, demo/public/common.js): the address still says a
// message is open, and the providers find none.
export const gmailThreadChanged = gmailThread
  .replace(/class="adn ads"/g, 'class="msg-v2"').replace(/data-(legacy-)?message-id=/g, 'data-$1msg-key=')
  .replace(/class="ii gt"/g, 'class="msg-body-v2"').replace(/class="a3s( aiL)?"/g, 'class="msg-text-v2"');

export const outlookConversationChanged = outlookConversation
  .replace('data-app-section="MailReadCompose"', 'data-app-section="ReadingPaneV2"')
  .replace(/aria-label="Message body"/g, 'aria-label="Message content"');

export function dom(html, url) {
  const window = parseHTML(html);
  return { window, document: window.document, location: new URL(url) };
}
