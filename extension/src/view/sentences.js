// The core's sentences in the reader's language. Every reason, note and check detail of a report
// comes with a code and its arguments (internal/sentence in the Go core); the locale has the
// sentence as s_<code>, with $1 … for the arguments. The English of the report is what the
// command line prints; here it is only the fallback for a code this version does not know.
import { el, t, untrusted } from './dom.js';

// Arguments that are one of a few words of the core (who trusts a root, a status), said in the
// reader's language too; a word this version does not know is shown as it is.
const wordArgs = {
  chain_ok: (a) => [word('anchor_', a[0])],
  level_check_withheld: (a) => [word('statusName_', a[0])],
  level_none_status: (a) => [word('statusName_', a[0])],
};

function word(prefix, w) {
  const said = t(`${prefix}${w}`);
  return said === `${prefix}${w}` ? w : said;
}

function known(code) {
  return typeof code === 'string' && /^[a-z0-9_]+$/.test(code) && t(`s_${code}`) !== `s_${code}`;
}

/**
 * sentenceParts is a sentence as pieces: strings of the locale and {arg} for each argument, so
 * that a caller can set each argument as untrusted text. Returns null for a code the locale
 * lacks.
 * @param {{code: string, args?: string[], then?: object[]}} text
 */
export function sentenceParts(text) {
  if (!known(text?.code)) return null;
  const raw = (Array.isArray(text.args) ? text.args : []).map((a) => String(a ?? ''));
  const args = wordArgs[text.code]?.(raw) ?? raw;
  const marked = t(`s_${text.code}`, ...args.map((_, i) => `\u0001${i}\u0001`));
  const parts = marked.split('\u0001').map((piece, i) => (i % 2 ? { arg: args[Number(piece)] } : piece)).filter((p) => p !== '');
  for (const clause of Array.isArray(text.then) ? text.then : []) {
    const more = sentenceParts(clause);
    if (!more) return null;
    parts.push(t('clauseSeparator'), ...more);
  }
  return parts;
}

/** say is the sentence as plain text in the reader's language, or english when the code is unknown. */
export function say(text, english = '') {
  const parts = sentenceParts(text);
  if (!parts) return String(english ?? '');
  return parts.map((p) => (typeof p === 'string' ? p : p.arg)).join('');
}

/** sentenceNode is the sentence as DOM: each argument (a name, an address, a date) in its own <bdi>. */
export function sentenceNode(text, english = '') {
  const parts = sentenceParts(text);
  if (!parts) return untrusted(english);
  return el('span', {}, parts.map((p) => (typeof p === 'string' ? p : untrusted(p.arg))));
}

/**
 * lines pairs a report's English sentences with their codes (reasons with reasonCodes, notes
 * with noteCodes, …): the codes are said when the report has one for each line.
 */
export function lines(english, codes) {
  const list = Array.isArray(english) ? english : [];
  const coded = Array.isArray(codes) && codes.length === list.length;
  return list.map((line, i) => ({ english: line, text: coded ? codes[i] : null }));
}

/** checkName is a verification step's name in the reader's language. */
export function checkName(name) {
  const key = `check_${String(name ?? '').replace(/-/g, '_')}`;
  const said = t(key);
  return said === key ? String(name ?? '') : said;
}
