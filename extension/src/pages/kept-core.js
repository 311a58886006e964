// @ts-check
// The offscreen document that keeps the core (Chrome; kept-core/host.js says why): it starts the
// worker that hosts the core, passes it each port a life of the extension's service worker sends,
// and closes itself when the host has been quiet long enough, which ends the worker and its memory.
// It listens to no runtime message: nothing but this extension's service worker can reach it.
/** @type {Worker | null} */
let worker = null;

function started() {
  if (worker) return worker;
  const w = new Worker('../kept-core-worker.js');
  w.onmessage = (e) => {
    if (!e.data?.quiet) return;
    w.terminate(); // the core's memory goes now, whether or not the document closes
    if (worker === w) worker = null;
    window.close();
  };
  worker = w;
  return w;
}

navigator.serviceWorker.onmessage = (e) => {
  // Only a service worker of this extension's origin can post here; still, only its.
  if (!(e.source instanceof ServiceWorker) || !e.source.scriptURL.startsWith(`${location.origin}/`)) return;
  if (e.data?.connect && e.ports[0]) started().postMessage({ connect: true }, [e.ports[0]]);
};
