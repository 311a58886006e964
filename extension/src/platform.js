// @ts-check
// The one place that names the browser's extension API (uBlock Origin Lite keeps such a thin
// wrapper too). Chrome's `chrome.*` and Firefox's `browser.*` both return promises in MV3.
/* global __BROWSER__, __DEMO__ */

export const ext = globalThis.browser ?? globalThis.chrome;

// BROWSER is "chrome" or "firefox", fixed at build time by extension/build.mjs.
export const BROWSER = __BROWSER__;

// DEMO is true only in the demo build (see extension/build.mjs and demo/README.md).
export const DEMO = __DEMO__;

// extensionOrigin is this extension's own origin, without the trailing slash.
export const extensionOrigin = ext.runtime.getURL('').replace(/\/$/, '');
