// The Outlook provider finds the Graph id of an opened message by its position in a conversation
// (docs/outlook.md), which can pick a neighbour when Graph lists a message OWA hides. Before a
// verdict is shown, the address OWA shows above the body must be the From address of the bytes
// Graph returned; otherwise the verdict would belong to another message.

import { fieldValues, headerLines } from '../rawheaders.js';
import { findAddresses } from '../address.js';

// shownSender is the first address in a message's header area: the text of container outside
// its body element.
export function shownSender(container, body) {
  let text = '';
  const walker = container.ownerDocument.createTreeWalker(container, 4 /* SHOW_TEXT */);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) if (!body.contains(n)) text += ` ${n.data}`;
  return findAddresses(text)[0]?.toLowerCase() ?? null;
}

// fromAddresses gives the addresses of the From fields of a raw message (its top header block).
export function fromAddresses(raw) {
  return fieldValues(headerLines(raw), 'From').flatMap((v) => findAddresses(v).map((a) => a.toLowerCase()));
}
