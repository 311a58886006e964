// Types of the core's signing methods (wasm/identity.go, whose comment lists them), beside
// mailseal.d.ts. Hand-written; keep in step with wasm/identity.go and internal/keys/summary.go.
import type { Level, Time, MailsealAPI } from "./mailseal";

/** internal/keys.Summary: what the user is shown about an identity. */
export interface IdentitySummary {
  addresses: string[];
  subject: string;
  issuer: string;
  notBefore: Time;
  notAfter: Time;
  /** SHA-256 of the certificate, hex. */
  fingerprint: string;
  /** "RSA 3072", "ECDSA P-256". */
  keyType: string;
  level: Level | "";
  levelReason?: string;
  name?: string;
  organization?: string;
  country?: string;
  title?: string;
  /** The line recipients' banner shows for a trusted signature from addresses[0] (classify.Banner). */
  banner?: string;
  /** Whether the chain reaches a bundled root or one of options.roots. */
  trusted: boolean;
  trustReason?: string;
  /** Whether it can sign mail now; signReason says why not (encryption-only, expired, …). */
  canSign: boolean;
  signReason?: string;
  /** Whether its key usage lets mail be encrypted to it. */
  canDecrypt: boolean;
}

export interface IdentityOptions {
  roots?: string | Uint8Array | Array<string | Uint8Array>;
  now?: string | Date;
  /** importIdentity and sealIdentity: "decrypt" reads an identity kept to decrypt only (keys.ImportForDecryption). */
  purpose?: "sign" | "decrypt";
}

/** An unlocked identity: the key wrapped under sessionKey until lockAt. */
export interface Session {
  session: Uint8Array;
  sessionKey: Uint8Array;
  lockAt: Time;
  /** The identity sealed again at today's scrypt cost, when it was sealed at an older, lower one: store it in place of the old. */
  resealed?: Uint8Array;
}

export type SigningIdentity = { session: Uint8Array; sessionKey: Uint8Array } | { sealed: Uint8Array; passphrase: string };

export interface Draft {
  from: string;
  to?: string;
  cc?: string;
  bcc?: string;
  subject?: string;
  text?: string;
  html?: string;
  attachments?: Array<{ name: string; type?: string; data: Uint8Array }>;
  inReplyTo?: string;
  references?: string[];
  messageId?: string;
}

export interface SignSummary {
  from: string;
  to?: string;
  cc?: string;
  bcc?: string;
  subject: string;
  messageId: string;
  size: number;
  /** SHA-256 of the signer's certificate, hex. */
  signer: string;
  signedAt: Time;
}

// Rejections carry an ErrorCode (errors.d.ts), as every method of the core does.

export interface SigningAPI extends MailsealAPI {
  importIdentity(p12: Uint8Array, password: string, options?: IdentityOptions): Promise<IdentitySummary>;
  sealIdentity(p12: Uint8Array, password: string, passphrase: string, options?: IdentityOptions): Promise<{ summary: IdentitySummary; sealed: Uint8Array }>;
  describeIdentity(sealed: Uint8Array, options?: IdentityOptions): Promise<IdentitySummary>;
  unlockIdentity(sealed: Uint8Array, passphrase: string, options: { lockAt: string | Date }): Promise<Session>;
  exportIdentity(sealed: Uint8Array, passphrase: string, password: string): Promise<Uint8Array>;
  sign(identity: SigningIdentity, message: Draft, options?: { now?: string | Date }): Promise<{ raw: Uint8Array; summary: SignSummary }>;
}
