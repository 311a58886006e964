// The browser globals a view module needs in Node: chrome.i18n over the extension's own locale
// files (as Chromium substitutes: $n replaced once, a substitution never read again) and a
// linkedom document. useLocale switches the language the views say things in.
import { readFileSync } from 'node:fs';
import { parseHTML } from 'linkedom';

const read = (lang) => JSON.parse(readFileSync(new URL(`../../extension/_locales/${lang}/messages.json`, import.meta.url), 'utf8'));
export const locales = { en: read('en'), zh_CN: read('zh_CN') };
let messages = locales.en;

/** useLocale makes lang the locale of every later getMessage. */
export function useLocale(lang) {
  messages = locales[lang];
}

globalThis.__BROWSER__ = 'chrome';
globalThis.__DEMO__ = false;
globalThis.chrome = {
  runtime: { id: 'ext', getURL: (p) => `chrome-extension://ext/${p}` },
  i18n: {
    getUILanguage: () => messages.locale.message,
    getMessage: (key, subs = []) => messages[key]?.message.replace(/\$(\d)/g, (_, n) => subs[Number(n) - 1] ?? '') ?? '',
  },
};
globalThis.document = parseHTML('<!doctype html><html><body></body></html>').document;
globalThis.Node = globalThis.document.defaultView.Node;
