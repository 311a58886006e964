// @ts-check
// Every request's handler, in one object: the background's (reading mail, settings, trust, the
// first-run page, layout problems, the sender memory), the signing folder's (identity, identities
// kept to decrypt, compose, send) and the decrypt folder's (the decrypt window): the only place
// that names these folders besides worker.js. Its names are exactly those of protocol.js: a handler the protocol does not list,
// or a request no handler answers, stops the background here, before it answers anything.
import { requests } from './protocol.js';
import { handlers as backgroundHandlers } from './background/handlers.js';
import { firstRunHandlers } from './background/first-run.js';
import { layoutHandlers } from './background/layout.js';
import { signingHandlers } from './signing/handlers.js';
import { memoryHandlers } from './background/memory.js';
import { decryptHandlers } from './decrypt/handlers.js';
import { keptHandlers } from './signing/kept-handlers.js';

/**
 * @typedef {import('./background/sender.js').CallerInfo} CallerInfo
 * @typedef {import('./protocol.js').Protocol} Protocol
 * @typedef {{[N in keyof Protocol]: (args: Protocol[N]['args'], caller: CallerInfo) => Promise<Protocol[N]['result']>}} Handlers
 */

/** @type {Handlers} */
export const handlers = { ...backgroundHandlers, ...firstRunHandlers, ...layoutHandlers, ...memoryHandlers, ...signingHandlers, ...decryptHandlers, ...keptHandlers };

const missing = Object.keys(requests).filter((name) => !Object.hasOwn(handlers, name));
const unlisted = Object.keys(handlers).filter((name) => !Object.hasOwn(requests, name));
if (missing.length || unlisted.length) {
  throw new Error(`mailseal: handlers and protocol.js differ: no handler for ${missing.join(', ') || '-'}; not in the protocol: ${unlisted.join(', ') || '-'}`);
}
