// SendError is a failure the user reads: a kind the compose frame acts on and a plain sentence.
//   kind: 'locked' (unlock and try again), 'setup' (a setting is missing), 'signin', 'expired'
//   (the provider refused the token), 'quota', 'too-large', 'refused' (the provider refused the
//   message), 'network', 'identity' (the certificate cannot sign this message).
export class SendError extends Error {
  constructor(kind, message) {
    super(message);
    this.name = 'SendError';
    this.kind = kind;
  }
}
