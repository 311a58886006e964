// Types of the mailseal core's JavaScript API. Hand-written; keep in step with:
//   - wasm/main.go         the methods and options (its package doc lists the whole surface)
//   - internal/smime/report.go   Report and everything in it (its JSON encoding is the shape)
//   - wasm/classify.go     Classification
//   - errors.d.ts          the codes of rejected Promises, generated from wasm/internal/errcode
//   - wasm/loader.js       loadCore and Core
//   - wasm/memory.go       the sender memory's methods, MemoryWarning and MemorySender
// testdata/golden/*.json pins the shapes; the Go tests (wasm/golden_test.go) and the node
// tests (test/wasm/) both compare against those files.

/** The verdict. When several apply, the first in this order from "malformed" on wins. */
export type Status =
  | "valid"
  | "malformed"
  | "invalid"
  | "unsupported"
  | "weak"
  | "untrusted"
  | "revoked"
  | "expired"
  | "mismatch"
  | "partial"
  | "encrypted"
  | "unsigned";

/** The identity level of a valid signature (how much the CA validated). */
export type Level = "V1" | "V2" | "V3" | "V4";

/** An instant as Go's encoding/json writes it: RFC 3339 with nanoseconds when non-zero. */
export type Time = string;

/** internal/smime.Report: everything mailseal found about one message. Optional fields are
 *  left out when empty (Go's omitempty), exactly as `mailseal verify --json` prints them. */
export interface Report {
  status: Status;
  level?: Level;
  banner: string;
  reasons: string[];
  notes?: string[];
  /** reasons and notes as sentence codes, one for one (internal/sentence): what a locale says. */
  reasonCodes: Sentence[];
  noteCodes?: Sentence[];
  /** The From mailbox, when the message has exactly one: what the mail client shows as sender. */
  from?: Mailbox;
  /** What a valid message claims beyond its certificate; never changes the status. */
  warnings?: Warning[];
  /** What the message's header says to name it and to reply to it. Not signed. */
  header?: Header;
  /** Set when verify had options.memory and the account's memory is loaded. */
  memoryWarnings?: MemoryWarning[];
  /** The memory learnt from this message (options.memory.opened): store it again. */
  memoryChanged?: true;
  signer?: Signer;
  /** Signer first, anchor last. */
  chain?: Certificate[];
  checks: Check[];
  levelReason?: string;
  /** levelReason as sentence codes: its clauses in order. */
  levelReasonCodes?: Sentence[];
  /** What the signature does not protect (header fields such as Subject and Date). */
  uncovered?: string[];
  /** Content outside the signed part (status "partial"). */
  outside?: string[];
  outsideCodes?: Sentence[];
  /** MIME part path of the signature ("" or absent for the root, "1.2" for a nested one). */
  signedPart?: string;
  /** True for application/pkcs7-mime signed-data: the content comes out of the CMS. */
  opaque?: boolean;
  deliveryTime?: Time;
  validationTime?: Time;
  /** How the message is encrypted and what decrypting it found; only from decrypt. */
  encryption?: Encryption;
  /** One report per attached message/rfc822; they never decide this report's status. */
  attached?: AttachedReport[];
  /** What the message's budget of parts, attached messages and signature checks left
   *  unverified (outermost report only). */
  skipped?: string[];
  /** The message's readable text; only with `{ text: true }`, outermost report only. */
  text?: Text;
  skippedCodes?: Sentence[];
  /** The MIME entity the signature covers (CRLF line ends); only with `{ content: true }`,
   *  and only when the message has a signature. Not part of the CLI's JSON. */
  signedEntity?: Uint8Array;
}

/** internal/smime.Part (internal/smime/parts.go): a leaf of decrypted content, decoded from its transfer encoding. */
export interface DecryptedPart {
  path: string;
  /** The media type, lower case. */
  type: string;
  charset: string;
  name: string;
  /** A part to save rather than show. */
  attachment: boolean;
  data: Uint8Array;
}

/** internal/smime.Encryption (internal/smime/decrypt.go). */
export interface Encryption {
  decrypted: boolean;
  /** Why it was not decrypted, for the interface's own words. */
  problem?: "no-key" | "not-for-you" | "failed" | "weak-cipher" | "unsupported" | "malformed" | "part-only";
  /** "AES-256-GCM", "AES-128-CBC", ... */
  cipher?: string;
  /** True for AES-GCM; AES-CBC content can be changed in transit unnoticed. */
  tamperEvident: boolean;
  recipients: number;
  /** The address of the user's certificate that decrypted it. */
  key?: string;
  /** "inside": signed, then encrypted (verified after decryption); "outside": encrypted, then signed. */
  signature?: "inside" | "outside";
  /** The To and Cc addresses the signed content itself names; never imply it was written to the reader. */
  addressedTo?: string[];
}

/** internal/smime.Mailbox: the address as written, the display name cleaned for display. */
export interface Mailbox {
  address: string;
  displayName?: string;
}

/** internal/smime.Header: the message's own header fields, for display and threading. None is
 *  covered by the signature. Each list and string is bounded (100 mailboxes a field, subject 1000
 *  characters, date 80, the last 20 references), and cleaned of control and format characters. */
export interface Header {
  /** Every mailbox of the From fields; Report.from is the author only when there is exactly one. */
  from?: Mailbox[];
  to?: Mailbox[];
  cc?: Mailbox[];
  replyTo?: Mailbox[];
  /** Encoded words decoded. */
  subject?: string;
  /** The Date field as written. */
  date?: string;
  /** "<id@host>", angle brackets included. */
  messageId?: string;
  /** The ids this message answers, oldest first. */
  inReplyTo?: string[];
  references?: string[];
}

/** internal/smime.Text: the first text/plain part that is not an attachment, else the first
 *  text/html one, its transfer encoding undone and its charset decoded. */
export interface Text {
  type: "text/plain" | "text/html";
  text: string;
  /** "signed": the content of an opaque signature (the status says whether it holds);
   *  "message": the message as delivered, signed or not. */
  source: "signed" | "message";
  /** Cut at 1 MiB. */
  truncated?: boolean;
}

/** internal/smime.Warning: one claim of the From display name the certificate does not carry. */
export interface Warning {
  kind:
    | "display-name-address"
    | "display-name-domain"
    | "display-name-organization"
    | "display-name-person"
    | "display-name-unicode";
  /** An address, a domain, the display name, or for "display-name-unicode": "bidi", "invisible", "look-alike". */
  claim: string;
  /** A sentence for a person, naming the signed address first. */
  detail: string;
}

export interface AttachedReport {
  part: string;
  report: Report;
}

/** What the signer's certificate says, limited by the level to what the CA validated. */
export interface Signer {
  email: string;
  name?: string;
  /** name is a pseudonym, not a legal name */
  pseudonym?: boolean;
  organization?: string;
  country?: string;
  title?: string;
  /** SHA-256 of the certificate, hex */
  fingerprint: string;
  issuer: string;
  notBefore: Time;
  notAfter: Time;
  policyOID?: string;
  signingTime?: Time;
  /** The signature's SMIMECapabilities announce AES-256-GCM. */
  gcm?: boolean;
}

/** One certificate of the chain, for the details view. */
export interface Certificate {
  subject: string;
  issuer: string;
  notBefore: Time;
  notAfter: Time;
  sha256: string;
  sha1: string;
  policyOIDs?: string[];
  /** How the certificate is an anchor; absent when it is not one. */
  anchor?: "bundled" | "given" | "user";
  /** HTTP addresses of the issuer's revocation list (cRLDistributionPoints), at most 4. */
  crl?: string[];
}

/** One step of verification and its outcome. */
export interface Check {
  /** "structure", "signature", "chain", "revocation", "sender", "level", "display-name", "content" */
  name: string;
  ok: boolean;
  detail: string;
  /** detail as a sentence code and its arguments (and following clauses). */
  code: string;
  args?: string[];
  then?: Sentence[];
}

/** internal/sentence.Text: one sentence as a stable code and its arguments ($1, $2, … of its
 *  English in internal/sentence/english.go and of s_<code> in the extension's locales), followed
 *  by the clauses in `then`. */
export interface Sentence {
  code: string;
  args?: string[];
  then?: Sentence[];
}

/** wasm/classify.go: the level a signer certificate supports and what it lets a client show.
 *  Says nothing about trust. Every field is present; "" when it does not apply. */
export interface Classification {
  level: "" | Level;
  /** the one reserved CA/B Forum S/MIME policy, "" if none or several */
  policyOID: string;
  generation: "" | "legacy" | "multipurpose" | "strict";
  name: string;
  pseudonym: boolean;
  organization: string;
  country: string;
  title: string;
  /** why the level is what it is, for a person */
  reason: string;
  /** reason as sentence codes: its clauses in order */
  why: Sentence[] | null;
}

/** Certificates: a PEM string (any number of CERTIFICATE blocks), DER bytes, or a list. */
export type Certificates = string | Uint8Array | Array<string | Uint8Array>;

export interface VerifyOptions {
  /** The present: the delivery time of a message with neither a Received field nor
   *  deliveryTime, and the time a CRL must be current at; default: now. */
  now?: string | Date;
  /** When the mail provider says the message arrived (Graph's receivedDateTime, Gmail's
   *  internalDate): the delivery time when the message has no Received field, or a later
   *  one than its topmost. */
  deliveryTime?: string | Date | null;
  /** Anchors trusted like the bundled roots (levels V1–V4). */
  roots?: Certificates;
  /** Anchors the user added by hand: valid, but level at most V1. */
  userRoots?: Certificates;
  /** Certificate revocation lists to consult (PEM "X509 CRL" blocks or DER). */
  crls?: string | Uint8Array | Array<string | Uint8Array>;
  /** Untrusted unless a current CRL of the signer's issuer that covers it is among crls (hard-fail). */
  requireRevocation?: boolean;
  /** Also return report.signedEntity. */
  content?: boolean;
  /** Also return report.text. */
  text?: boolean;
  /** Consult the account's sender memory (memoryLoad first); learn from the message only
   *  when opened is true (the user opened it: never for a prefetch, never in incognito). */
  memory?: { account: string; opened?: boolean; message?: string };
}

/** internal/memory.Warning. code names the sentence: the locale message "memory_<code after
 *  memory- with - as _>" quotes args as $1, $2, …; detail is the English sentence. */
export interface MemoryWarning {
  code: string;
  severity: "danger" | "caution" | "note";
  args: string[];
  detail: string;
}

/** wasm/memory.go memorySender: one remembered sender, without its certificate. */
export interface MemorySender {
  address: string;
  level: "V1" | "V2" | "V3" | "V4";
  shown: string;
  issuer: string;
  firstSeen: string;
  lastSeen: string;
  count: number;
  pinned: boolean;
}

export interface MemoryLoadOptions {
  now?: string | Date;
  /** The administrator's: mail from domain (or its subdomains) is signed at level or above. */
  expectations?: Array<{ domain: string; level: "V1" | "V2" | "V3" | "V4" }>;
}

import type { ErrorCode } from "./errors";
export type { ErrorCode };

/** Every rejection is an Error with one of these codes. A bad signature is a Report, not an error. */
export interface MailsealError extends Error {
  code: ErrorCode;
}

/** globalThis.mailseal as the module installs it; use it through loadCore. */
export interface MailsealAPI {
  version(): string;
  /** raw: the whole message as received. Arguments are copied before the call returns. */
  verify(raw: Uint8Array, options?: VerifyOptions): Promise<Report>;
  /** certificate: DER. */
  classify(certificate: Uint8Array): Promise<Classification>;
  /** Replaces the account's memory with file (null: empty). A bad file rejects ERR_MALFORMED. */
  memoryLoad(account: string, file: Uint8Array | null, options?: MemoryLoadOptions): Promise<{ senders: number }>;
  /** The JSON file users save and import, or with form 'stored' the form the extension keeps
   *  (ASCII, loads several times faster); memoryLoad reads both. */
  memoryExport(account: string, options?: { now?: string | Date; form?: 'file' | 'stored' }): Promise<Uint8Array>;
  memoryList(account: string): Promise<MemorySender[]>;
  memoryEdit(account: string, edit: { pin: string } | { unpin: string } | { forget: string } | { forgetAll: true }): Promise<{ senders: number }>;
  /** wasm/envelope.go. identities: {session, sessionKey} or {sealed, passphrase}, earlier ones too.
   *  content, the decrypted MIME entity, only when report.encryption.decrypted: for an
   *  extension-owned frame, never the page, storage or logs. */
  decrypt(identities: object[], raw: Uint8Array, options?: VerifyOptions): Promise<{ report: Report; content?: Uint8Array; parts?: DecryptedPart[]; partsError?: string }>;
  /** Signs, then encrypts to every recipient and the sender. Rejects with ERR_RECIPIENT,
   *  ERR_NO_CERTIFICATE or ERR_SENDER_CANNOT_DECRYPT besides the codes of sign. */
  encrypt(
    identity: object,
    message: object,
    recipients: Array<{ certificate: string | Uint8Array; chain?: Certificates; gcm?: boolean }>,
    options?: { now?: string | Date; roots?: Certificates; userRoots?: Certificates },
  ): Promise<{ raw: Uint8Array; summary: object }>;
  /** wasm/recipients.go: for each address, the certificate to encrypt to, from an imported
   *  file (options.files) or the account's sender memory, validated like a signer's. */
  recipientCertificates(
    account: string | null,
    addresses: string[],
    options?: { files?: Uint8Array[]; now?: string | Date; roots?: Certificates; userRoots?: Certificates },
  ): Promise<{ recipients: RecipientCertificate[]; files: Array<{ addresses: string[]; why?: Sentence; reason?: string }> }>;
}

/** One address's certificate to encrypt to (internal/recipient.Choice). */
export interface RecipientCertificate {
  address: string;
  usable: boolean;
  /** where the certificate judged came from; "" when none was found */
  source: "file" | "memory" | "";
  /** what its CA validated, when usable */
  level?: Level;
  shown?: string;
  /** DER, when usable */
  certificate?: Uint8Array;
  chain?: Uint8Array[];
  /** their signed mail announced AES-256-GCM (memory only), when usable */
  gcm?: boolean;
  /** why not, when not usable */
  why?: Sentence;
  reason?: string;
}

/** wasm/loader.js */
export interface Core extends MailsealAPI {
  /** How many instances were started; more than one means the Go program exited and restarted. */
  readonly starts: number;
}

export function loadCore(
  source: URL | string | Response | Promise<Response> | BufferSource | WebAssembly.Module,
): Promise<Core>;

export const codes: Readonly<{
  malformed: "ERR_MALFORMED";
  tooLarge: "ERR_TOO_LARGE";
  badArgument: "ERR_BAD_ARGUMENT";
  internal: "ERR_INTERNAL";
}>;
