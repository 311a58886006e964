// @ts-check
// The background's decrypt requests (handlers.js puts them beside the others). decryptOpen comes
// only from a banner frame, for the message of its own channel; decryptRead only from the decrypt
// window, for its own channel (protocol.js lists the callers; background/sender.js checks them,
// and that the window's page is at the top of its own window, never framed).
import { ext } from '../platform.js';
import { RequestError } from '../protocol.js';
import { tabChannel } from '../background/banner-channels.js';
import { decryptChannel, decryptFor, forgetDecryptWindow, openDecryptWindow } from './window.js';

// A closed window's channel goes with it.
ext.windows?.onRemoved.addListener((windowId) => { forgetDecryptWindow(windowId).catch(() => {}); });

export const decryptHandlers = {
  // decryptOpen opens the decrypt window for the message the asking banner frame shows.
  async decryptOpen(args, caller) {
    const ch = await tabChannel(String(args.channel ?? ''), caller.tabId);
    if (!ch) throw new RequestError('refused', 'mailseal: decryptOpen: refused');
    return openDecryptWindow(ch);
  },
  // decryptRead decrypts the window's message; passphrase, when given, unlocks the identity first.
  async decryptRead(args, caller) {
    const ch = await decryptChannel(String(args.channel ?? ''), caller.tabId);
    if (!ch) throw new RequestError('refused', 'mailseal: decryptRead: refused');
    const passphrase = args.passphrase === undefined ? '' : args.passphrase;
    if (typeof passphrase !== 'string' || passphrase.length > 1024) throw new RequestError('bad-argument', 'request: bad passphrase');
    return decryptFor(ch, passphrase);
  },
};
