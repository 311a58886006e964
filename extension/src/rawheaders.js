// Reading the top header block of a raw RFC 5322 message: enough for the From cross-check
// (providers/crosscheck.js), for the Message-ID and References a reply must carry (Write
// signed, read by the background), and for naming a message in its banner's details.

const maxHeaderBytes = 256 * 1024;

// headerLines returns the message's header fields, unfolded, one per line. Header bytes are
// ASCII; anything else is read as Latin-1 so that it cannot throw.
export function headerLines(raw) {
  const text = new TextDecoder('latin1').decode(raw.subarray(0, Math.min(raw.length, maxHeaderBytes)));
  const end = text.search(/\r?\n\r?\n/);
  return (end < 0 ? text : text.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/);
}

// fieldValues gives the values of every field called name (case-insensitive), trimmed.
export function fieldValues(lines, name) {
  const prefix = `${name.toLowerCase()}:`;
  return lines.filter((l) => l.toLowerCase().startsWith(prefix)).map((l) => l.slice(prefix.length).trim());
}

const msgIDs = (v) => v.match(/<[^<>\s]+>/g) ?? [];

// replyHeadersOf gives what a reply to raw carries so that it threads in every client: its
// Message-ID as In-Reply-To, and References ending with that id (RFC 5322 §3.6.4), at most 20.
// A message without a Message-ID gives {}.
export function replyHeadersOf(raw) {
  const lines = headerLines(raw);
  const parent = msgIDs(fieldValues(lines, 'Message-ID')[0] ?? '')[0];
  if (!parent) return {};
  return { inReplyTo: parent, references: [...msgIDs(fieldValues(lines, 'References')[0] ?? ''), parent].slice(-20) };
}

// decodeWords decodes RFC 2047 encoded words (a subject), leaving anything it cannot read as is.
export function decodeWords(v) {
  return v.replace(/=\?([^?]+)\?([bq])\?([^?]*)\?=(?:\s+(?==\?))?/gi, (all, charset, enc, data) => {
    try {
      const bin = enc.toLowerCase() === 'b' ? atob(data)
        : data.replace(/_/g, ' ').replace(/=([0-9a-f]{2})/gi, (_, h) => String.fromCharCode(parseInt(h, 16)));
      return new TextDecoder(charset.replace(/\*.*$/, '')).decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
    } catch {
      return all;
    }
  });
}

/**
 * messageSummary names a message as its banner's details show it (which message this banner
 * belongs to): the From field, the subject and the date, as the raw message has them.
 */
export function messageSummary(raw) {
  const lines = headerLines(raw);
  const first = (name, max) => decodeWords(fieldValues(lines, name)[0] ?? '').slice(0, max);
  return { from: first('From', 320), subject: first('Subject', 300), date: first('Date', 80) };
}
