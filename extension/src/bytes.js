// @ts-check
// Bytes across extension messaging. Firefox clones messages with the structured-clone algorithm,
// so a Uint8Array arrives as one. Chrome serialises messages as JSON, which would turn a
// Uint8Array into an object of numbered keys; there the bytes travel as base64.
import { BROWSER } from './platform.js';

export function packBytes(bytes) {
  if (BROWSER === 'firefox') return bytes;
  return { base64: toBase64(bytes) };
}

export function unpackBytes(value) {
  if (value instanceof Uint8Array) return value;
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (value && typeof value.base64 === 'string') return fromBase64(value.base64);
  throw new TypeError('bytes: expected a Uint8Array or {base64}');
}

export function toBase64(bytes) {
  if (typeof bytes.toBase64 === 'function') return bytes.toBase64();
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export function fromBase64(text) {
  const U8 = /** @type {any} */ (Uint8Array);
  if (typeof U8.fromBase64 === 'function') return U8.fromBase64(text);
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
