// @ts-check
// The protocol between mailseal's contexts: every request the background answers, who may send
// it, what it takes and what it gives. The background's handlers (background/handlers.js,
// signing/handlers.js, put together by worker.js) answer exactly these names; request.js sends
// them; `tsc --noEmit` (make test-extension) checks both ends against the types below, and
// test/extension/privilege.test.mjs holds the caller table.
//
// Callers: 'content' is our content script in the top frame of a webmail tab; every other
// caller is one of our pages by file name (background/sender.js decides which page is asking:
// banner.html only framed, every other page only at the top of its own tab or window).
//
// A request that fails answers one error shape, {code, message} (RequestError below): the code
// is for the page to act on, the message is a sentence a person can read.
//
// Adding a request: a line in `requests` (its callers), an entry in the Protocol typedef (its
// args and result), and a handler of that name in the handler object of the folder that owns the
// work; worker.js refuses to start with a handler the protocol does not list or a request no
// handler answers, and privilege.test.mjs fails until its table has the new line.

/** @typedef {'content'|'banner.html'|'popup.html'|'options.html'|'first-run.html'|'compose.html'|'identity.html'|'decrypt.html'} Caller */

/** @type {Readonly<Record<keyof Protocol, readonly Caller[]>>} */
export const requests = Object.freeze({
  // content script: the banners
  contentSettings: ['content'],
  lookup: ['content'],
  cachedMessages: ['content'],
  prepare: ['content'],
  verify: ['content'],
  verifyOutlook: ['content'],
  bindBanner: ['content'],
  unavailable: ['content'],
  bannerTampered: ['content'],
  layoutProblem: ['content'],
  // content script: Write signed
  composeOpen: ['content'],
  // the banner frame
  bannerReport: ['banner.html'],
  signedContent: ['banner.html'],
  resize: ['banner.html'],
  // the toolbar popup, options and first-run pages
  tabStatus: ['popup.html'],
  tabLayout: ['popup.html'],
  firstRun: ['popup.html', 'first-run.html'],
  getSettings: ['options.html', 'popup.html', 'first-run.html'],
  saveSettings: ['options.html', 'first-run.html'],
  connectOutlook: ['options.html', 'popup.html', 'first-run.html'],
  addUserRoots: ['options.html'],
  removeUserRoot: ['options.html'],
  // the sender memory: listing, pinning, forgetting, export and import only from the options page
  memoryAccounts: ['options.html'],
  memoryList: ['options.html'],
  memoryEdit: ['options.html'],
  memoryExport: ['options.html'],
  memoryImport: ['options.html'],
  stats: ['options.html', 'banner.html'],
  // the compose window and the identity page
  composeDraft: ['compose.html'],
  signAndSend: ['compose.html'],
  recipientCertificates: ['compose.html'],
  identityStatus: ['identity.html', 'compose.html', 'first-run.html'],
  identityUnlock: ['identity.html', 'compose.html'],
  identityLock: ['identity.html', 'compose.html'],
  identityPreview: ['identity.html'],
  identityImport: ['identity.html'],
  identityExport: ['identity.html'],
  identityDelete: ['identity.html'],
  saveSigningSettings: ['identity.html'],
  // the decrypt window: opened only from a banner frame, read only by the window
  decryptOpen: ['banner.html'],
  decryptRead: ['decrypt.html'],
  // identities kept to decrypt (earlier and encryption-only ones): only the identity page
  identityKeptList: ['identity.html'],
  identityKeptImport: ['identity.html'],
  identityKeptRemove: ['identity.html'],
});

/**
 * @typedef {import('mailseal-core').Report} Report
 * @typedef {{status: string, severity: string, word: string, kind: string}} View   view/verdict.js viewOf
 * @typedef {{channel: string, view: View, bound?: boolean}} Shown   what a content script learns of a verdict (bound: the frame of the wait id it gave was bound to it)
 * @typedef {Uint8Array | {base64: string}} PackedBytes   bytes.js packBytes
 * @typedef {{itemId: string} | {conversationId: string, index: number}} OutlookLocator
 * @typedef {{messageId: string, threadId: string} | {locator: OutlookLocator}} ReplyReference
 * @typedef {{word: string, color: string}} Mark
 * @typedef {{from: string, subject: string, date: string}} MessageSummary
 * @typedef {{identity: null | {summary: object, importedAt: number}, unlockedUntil: number}} IdentityStatus
 * @typedef {{googleClientId: string, autoLockMinutes: number}} SigningSettings
 * @typedef {{address: string, usable: boolean, source: string, level: string, shown: string, why: object | null, reason: string}} RecipientShown   recipients.js
 * @typedef {{path: string, type: string, charset: string, name: string, attachment: boolean, data: PackedBytes}} DecryptedPart
 * @typedef {{to?: string, subject?: string, quoted?: string, inReplyTo?: string, references?: string[], error?: string}} Prefill
 * @typedef {{to?: string, cc?: string, bcc?: string, subject?: string, text?: string, html?: string, from?: string,
 *   attachments?: {name: string, type?: string, data: PackedBytes}[]}} OutgoingMessage
 */

/**
 * Every request: its arguments and its result.
 * @typedef {{
 *   contentSettings: {args: {}, result: {providers: Record<string, boolean>, showUnsignedChip: boolean, hosts: Record<string, string>}},
 *   lookup: {args: {account: string, messageId: string, wait?: string}, result: Shown | null},
 *   cachedMessages: {args: {account: string}, result: string[]},
 *   prepare: {args: {}, result: true},
 *   verify: {args: {account: string, messageId: string, raw: PackedBytes, wait?: string}, result: Shown},
 *   verifyOutlook: {args: {account: string, locator: OutlookLocator, shownSender?: string | null, wait?: string}, result: Shown},
 *   unavailable: {args: {account: string, messageId: string, code: 'unchecked_fetch' | 'unchecked_read' | 'unchecked_timeout', reason: string, wait?: string}, result: Shown},
 *   bannerTampered: {args: {what: 'hidden' | 'moved'}, result: boolean},
 *   layoutProblem: {args: {provider: string, unreadable: boolean}, result: boolean},
 *   composeOpen: {args: {reply: ReplyReference | null, click: string}, result: {opened: boolean}},
 *   bindBanner: {args: {wait: string, channel: string}, result: true},
 *   bannerReport: {args: {channel?: string, wait?: string}, result: null | {report: Report, view: View, mark: Mark, hasContent: boolean, provider: string | null, message: MessageSummary | null, channel: string}},
 *   signedContent: {args: {channel: string}, result: {type: 'text/plain' | 'text/html', text: string} | null},
 *   resize: {args: {channel: string, height: number, ready: boolean}, result: boolean},
 *   tabStatus: {args: {tabId: number}, result: {report: Report, view: View, message: MessageSummary | null}[]},
 *   tabLayout: {args: {tabId: number}, result: null | {provider: string, since: number}},
 *   firstRun: {args: {done?: true}, result: {done: boolean}},
 *   getSettings: {args: {}, result: {settings: object, policy: {roots: number, providers: object | null, revocation: string, outlookClientId: string}, userRoots: {sha256: string, subject: string, addedAt: number}[]}},
 *   saveSettings: {args: object, result: object},
 *   connectOutlook: {args: {}, result: boolean},
 *   addUserRoots: {args: {pem: string}, result: number},
 *   removeUserRoot: {args: {sha256: string}, result: boolean},
 *   memoryAccounts: {args: {}, result: {accounts: string[], expectations: {domain: string, level: string}[]}},
 *   memoryList: {args: {account: string}, result: import('mailseal-core').MemorySender[]},
 *   memoryEdit: {args: {account: string, edit: {pin?: string, unpin?: string, forget?: string, forgetAll?: true}}, result: object},
 *   memoryExport: {args: {account: string}, result: string},
 *   memoryImport: {args: {account: string, text: string}, result: object},
 *   stats: {args: {}, result: {bootedAt: number, loads: number, loadedAt: number, loadMillis: number, verifies: number, firstVerifyMillis: number, memoryBytes: number, version: string}},
 *   composeDraft: {args: {channel?: string}, result: null | (IdentityStatus & {provider: string, account: string, threadId: string, prefill: Prefill})},
 *   signAndSend: {args: {channel?: string, provider?: string, account?: string, message: OutgoingMessage, encrypt?: boolean, recipients?: string[], files?: PackedBytes[]}, result: {summary: object, sent: {id?: string, threadId?: string}, encrypted: number}},
 *   recipientCertificates: {args: {channel?: string, addresses: string[], files?: PackedBytes[]}, result: {recipients: RecipientShown[], files: {addresses: string[], why: object | null, reason: string}[]}},
 *   identityStatus: {args: {}, result: IdentityStatus & {settings: SigningSettings}},
 *   identityUnlock: {args: {passphrase: string}, result: {unlockedUntil: number}},
 *   identityLock: {args: {}, result: boolean},
 *   identityPreview: {args: {p12: PackedBytes, password: string}, result: {summary: object}},
 *   identityImport: {args: {p12: PackedBytes, password: string, passphrase: string}, result: {summary: object}},
 *   identityExport: {args: {passphrase: string, password: string}, result: {p12: PackedBytes}},
 *   identityDelete: {args: {}, result: boolean},
 *   saveSigningSettings: {args: {googleClientId?: string, autoLockMinutes?: number}, result: SigningSettings},
 *   decryptOpen: {args: {channel: string}, result: {opened: boolean}},
 *   decryptRead: {args: {channel: string, passphrase?: string}, result: {report: Report, parts?: DecryptedPart[], partsError?: string}},
 *   identityKeptList: {args: {}, result: {summary: object, importedAt: number, why: string}[]},
 *   identityKeptImport: {args: {p12: PackedBytes, password: string, passphrase: string}, result: {summary: object}},
 *   identityKeptRemove: {args: {fingerprint: string}, result: boolean},
 * }} Protocol
 */

/**
 * The error codes a request can fail with. What each asks of the page:
 *   refused      the caller may not send this request (or the channel is not its own)
 *   bad-argument an argument has the wrong type or size
 *   unavailable  the message could not be read (network, size, the provider's API)
 *   locked       unlock the identity and try again
 *   setup        a setting is missing (a client id, an identity)
 *   signin       signing in to the provider did not complete
 *   expired      the provider refused the token: sending again signs in again
 *   quota        the provider limits sending now
 *   too-large    the message is larger than the provider takes
 *   network      the provider could not be reached; nothing was sent
 *   identity     the certificate or its file cannot do this (wrong password, damaged, cannot sign)
 *   failed       anything else: a fault of mailseal, its message says what
 * @typedef {'refused'|'bad-argument'|'unavailable'|'locked'|'setup'|'signin'|'expired'|'quota'|'too-large'|'network'|'identity'|'failed'} ErrorCode
 */

/** RequestError is a failure that crosses extension messaging as {code, message}. */
export class RequestError extends Error {
  /** @param {ErrorCode} code @param {string} message */
  constructor(code, message) {
    super(message);
    this.name = 'RequestError';
    this.code = code;
  }
}

/**
 * errorOf is the wire form of any failure: a RequestError keeps its code, anything else is
 * 'failed' with its message.
 * @returns {{code: ErrorCode, message: string}}
 */
export function errorOf(err) {
  if (err instanceof RequestError) return { code: err.code, message: err.message };
  return { code: 'failed', message: String(err?.message ?? err) };
}

/** mayCall says whether caller may send the request called name. */
export function mayCall(name, caller) {
  return Object.hasOwn(requests, name) && typeof caller === 'string' && requests[name].includes(caller);
}
