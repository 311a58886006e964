// @ts-check
// The dedicated worker that hosts the kept core (host.js), started by the offscreen document
// pages/kept-core.js. Workers of extension pages have no extension API: the core's URL comes from
// this script's own (the package keeps both at its root).
import { coreLoader } from '../core-load.js';
import { keeper } from './host.js';

const loader = coreLoader(() => new URL('core.wasm', self.location.href).href);
const host = keeper({ loader, onQuiet: () => self.postMessage({ quiet: true }) });

// The document passes on each port a life of the service worker sent it; nothing else comes here.
self.onmessage = (e) => {
  if (e.data?.connect && e.ports[0]) host.connect(e.ports[0]);
};
