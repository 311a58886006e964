// The compose window's formatted text. What the user types in the text field is read as a small,
// closed model (paragraphs, bulleted and numbered lists, bold, italic, links) and both parts of a
// formatted message are written from that model: the plain text and the HTML. The HTML is made
// only here, never taken from the page, a paste or a received message, so it holds no element or
// attribute but those in htmlElements and an href, no script, style or event handler; and every
// link shows its target as its text, so what a reader clicks is what they read. Lines starting
// with ">" (a reply's quoted original) stay plain text, "> " and all: nothing of a received
// message's HTML is signed unseen.
//
//   **bold**   _italic_   - item   * item   1. item   [words](https://…)
//
// Pure functions of strings, with the preview built through the caller's el (view/dom.js), so the
// tests run without a browser.

/** htmlElements are the only elements toHTML writes; a, with an href, the only one with an attribute. */
export const htmlElements = Object.freeze(['html', 'body', 'p', 'br', 'b', 'i', 'ul', 'ol', 'li', 'a']);

const maxURL = 2048;
const inlinePattern = new RegExp([
  String.raw`\[([^\[\]\n]{1,500})\]\(([^\s()]{1,${maxURL}})\)`, // [label](target)
  String.raw`\*\*(?=\S)(.+?)(?<=\S)\*\*`, // **bold**
  String.raw`(?<![\p{L}\p{N}_])_(?=\S)(.+?)(?<=\S)_(?![\p{L}\p{N}_])`, // _italic_, not inside a_word_like_this
  String.raw`((?:https?:\/\/|mailto:)\S+)`, // an address typed as it is: no marks inside it
].join('|'), 'u');
// Explicit directional formatting (embeddings, overrides, isolates): one of them reorders the rest
// of its paragraph, a link's shown target too ("https://evil.example/moc.knab" reads backwards
// after U+202E). They are dropped from what is sent and previewed; the marks U+200E and U+200F,
// which only set the direction of neutral characters, stay for right-to-left writers.
const bidiControls = /[\u202A-\u202E\u2066-\u2069]/g;
const withoutBidiControls = (text) => String(text ?? '').replace(bidiControls, '');
const listItem = /^\s{0,3}(?:([-*])|(\d{1,9})[.)])\s+(?=\S)/;

/**
 * linkTarget is the target a link may have, as the browser writes it (new URL().href), or null:
 * http, https and mailto only; no user name before the host ("https://bank.example@evil.example"
 * names a host it does not go to).
 */
export function linkTarget(s) {
  let u;
  try {
    u = new URL(s);
  } catch {
    return null;
  }
  if (!['https:', 'http:', 'mailto:'].includes(u.protocol) || u.username || u.password || u.href.length > maxURL) return null;
  if (u.protocol !== 'mailto:' && !u.hostname) return null;
  return u.href;
}

/** inline reads one line into runs: {text, bold, italic} or {label, href}. */
export function inline(line, marks = { bold: false, italic: false }) {
  const runs = [];
  let rest = line;
  while (rest) {
    const m = inlinePattern.exec(rest);
    if (!m) break;
    if (m.index > 0) runs.push({ text: rest.slice(0, m.index), ...marks });
    if (m[1] !== undefined) {
      const href = linkTarget(m[2]);
      runs.push(href ? { label: m[1], href } : { text: m[0], ...marks });
    } else if (m[3] !== undefined) {
      runs.push(...inline(m[3], { ...marks, bold: true }));
    } else if (m[5] !== undefined) {
      runs.push({ text: m[5], ...marks });
    } else {
      runs.push(...inline(m[4], { ...marks, italic: true }));
    }
    rest = rest.slice(m.index + m[0].length);
  }
  if (rest) runs.push({ text: rest, ...marks });
  // Neighbours with the same marks are one run, so that each part writes the marks once around them.
  return runs.reduce((out, r) => {
    const last = out.at(-1);
    if (r.text !== undefined && last?.text !== undefined && last.bold === r.bold && last.italic === r.italic) last.text += r.text;
    else out.push(r);
    return out;
  }, []);
}

/**
 * parse reads the text field into blocks: {type: 'paragraph'|'bullets'|'numbers', gap, items:
 * runs[]} (a paragraph's items are its lines) or {type: 'quote', gap, items: string[]}; gap is
 * the number of blank lines before the block.
 */
export function parse(text) {
  const blocks = [];
  let gap = 0;
  for (const line of withoutBidiControls(text).replace(/\r\n?/g, '\n').split('\n')) {
    if (line.trim() === '') {
      gap++;
      continue;
    }
    const item = listItem.exec(line);
    const type = line.startsWith('>') ? 'quote' : item ? (item[1] ? 'bullets' : 'numbers') : 'paragraph';
    const content = type === 'quote' ? line : inline(item ? line.slice(item[0].length) : line);
    const last = blocks.at(-1);
    if (last?.type === type && gap === 0) last.items.push(content);
    else blocks.push({ type, gap, items: [content] });
    gap = 0;
  }
  return blocks;
}

/** isFormatted says whether blocks need an HTML part: a list, bold, italic or a link. */
export function isFormatted(blocks) {
  return blocks.some((b) => b.type === 'bullets' || b.type === 'numbers'
    || (b.type === 'paragraph' && b.items.some((runs) => runs.some((r) => r.href || r.bold || r.italic))));
}

const escapeHTML = (s) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function runHTML(r) {
  if (r.href) {
    const a = `<a href="${escapeHTML(r.href)}">${escapeHTML(r.href)}</a>`;
    return r.label === r.href ? a : `${escapeHTML(r.label)} (${a})`;
  }
  let s = escapeHTML(r.text);
  if (r.italic) s = `<i>${s}</i>`;
  if (r.bold) s = `<b>${s}</b>`;
  return s;
}

/** toHTML writes blocks as an HTML document of htmlElements only. */
export function toHTML(blocks) {
  const runs = (rs) => rs.map(runHTML).join('');
  const body = blocks.map((b) => {
    switch (b.type) {
      case 'bullets': return `<ul>\n${b.items.map((i) => `<li>${runs(i)}</li>`).join('\n')}\n</ul>`;
      case 'numbers': return `<ol>\n${b.items.map((i) => `<li>${runs(i)}</li>`).join('\n')}\n</ol>`;
      case 'quote': return `<p>${b.items.map(escapeHTML).join('<br>\n')}</p>`;
      default: return `<p>${b.items.map(runs).join('<br>\n')}</p>`;
    }
  });
  return `<html><body>\n${body.join('\n')}\n</body></html>\n`;
}

function runText(r) {
  if (r.href) return r.label === r.href ? r.href : `${r.label} (${r.href})`;
  let s = r.text;
  if (r.italic) s = `_${s}_`;
  if (r.bold) s = `*${s}*`;
  return s;
}

/** toPlain writes blocks as the plain-text part: the same words, lists and links in text. */
export function toPlain(blocks) {
  const runs = (rs) => rs.map(runText).join('');
  return blocks.map((b, i) => {
    const lines = b.type === 'quote' ? b.items
      : b.type === 'bullets' ? b.items.map((it) => `- ${runs(it)}`)
        : b.type === 'numbers' ? b.items.map((it, n) => `${n + 1}. ${runs(it)}`)
          : b.items.map(runs);
    return '\n'.repeat(i ? b.gap : 0) + lines.join('\n');
  }).join('\n');
}

/** preview builds the blocks as DOM with el (view/dom.js), in the shape toHTML writes. */
export function preview(blocks, el) {
  const runNode = (r) => {
    if (r.href) {
      const a = el('a', { href: r.href, target: '_blank', rel: 'noopener noreferrer', text: r.href });
      return r.label === r.href ? a : el('span', {}, `${r.label} (`, a, ')');
    }
    let n = r.text;
    if (r.italic) n = el('i', {}, n);
    if (r.bold) n = el('b', {}, n);
    return n;
  };
  const lines = (items, each) => items.flatMap((it, i) => (i ? [el('br'), ...each(it)] : each(it)));
  return blocks.map((b) => {
    switch (b.type) {
      case 'bullets': return el('ul', {}, b.items.map((it) => el('li', {}, it.map(runNode))));
      case 'numbers': return el('ol', {}, b.items.map((it) => el('li', {}, it.map(runNode))));
      case 'quote': return el('p', { class: 'quoted' }, lines(b.items, (s) => [s]));
      default: return el('p', {}, lines(b.items, (it) => it.map(runNode)));
    }
  });
}

/**
 * message is what the core signs for the text field's content, without explicit bidi controls:
 * the text alone when nothing is formatted, else the plain-text part and the HTML part written from the same model.
 */
export function message(text) {
  const blocks = parse(text);
  return isFormatted(blocks) ? { text: toPlain(blocks), html: toHTML(blocks) } : { text: withoutBidiControls(text) };
}

// --- editing: the toolbar and its shortcuts change the text; each returns {value, start, end} ---

/** toggleMark wraps the selection in marker ("**" or "_"), or unwraps it when it is wrapped. */
export function toggleMark(value, start, end, marker) {
  const n = marker.length;
  if (value.slice(start - n, start) === marker && value.slice(end, end + n) === marker) {
    return { value: value.slice(0, start - n) + value.slice(start, end) + value.slice(end + n), start: start - n, end: end - n };
  }
  // Spaces at the edges of the selection stay outside the marks ("** word **" is not bold).
  while (start < end && /\s/.test(value[start])) start++;
  while (end > start && /\s/.test(value[end - 1])) end--;
  return { value: value.slice(0, start) + marker + value.slice(start, end) + marker + value.slice(end), start: start + n, end: end + n };
}

/** toggleList makes the lines the selection touches a list of kind ('bullets' or 'numbers'), or plain lines again. */
export function toggleList(value, start, end, kind) {
  const from = value.lastIndexOf('\n', start - 1) + 1;
  const next = value.indexOf('\n', Math.max(end - (end > start && value[end - 1] === '\n' ? 1 : 0), start));
  const to = next < 0 ? value.length : next;
  const lines = value.slice(from, to).split('\n');
  const isKind = (l) => { const m = listItem.exec(l); return m && (kind === 'bullets' ? m[1] : m[2]); };
  const undo = lines.filter((l) => l.trim()).every(isKind);
  let k = 0;
  const changed = lines.map((l) => {
    if (!l.trim() || l.startsWith('>')) return l;
    const bare = l.replace(listItem, '');
    if (undo) return bare;
    k++;
    return `${kind === 'bullets' ? '-' : `${k}.`} ${bare}`;
  }).join('\n');
  return { value: value.slice(0, from) + changed + value.slice(to), start: from, end: from + changed.length };
}

/** insertLink writes [selection](https://) and selects the target for the user to type over. */
export function insertLink(value, start, end, placeholder) {
  const label = value.slice(start, end).trim() || placeholder;
  const before = `${value.slice(0, start)}[${label}](`;
  return { value: `${before}https://)${value.slice(end)}`, start: before.length, end: before.length + 'https://'.length };
}
