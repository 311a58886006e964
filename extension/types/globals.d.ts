// What the extension's code finds in its global scope: the browser's extension API (Chrome's
// `chrome`, Firefox's `browser`; src/platform.js picks one) and the build's constants
// (extension/build.mjs).
declare var browser: any;
declare var chrome: any;
declare const __BROWSER__: 'chrome' | 'firefox';
declare const __DEMO__: boolean;
