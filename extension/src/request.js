// @ts-check
// request sends one named request to the background (protocol.js lists them) and returns its
// result; a request that failed rejects with a RequestError ({code, message}).
//
// A Chrome service worker or Firefox event page may be stopping just as a request is sent; the
// browser then rejects the send ("Receiving end does not exist") and starts the background again
// for the next one. Such failures are retried a few times; an answer that is an error (the
// background refused or failed) is not.
import { ext } from './platform.js';
import { RequestError } from './protocol.js';

// About six seconds in all: a busy machine can take that long to bring a worker back.
const retryDelays = [50, 150, 400, 800, 1500, 3000];

/**
 * @template {keyof import('./protocol.js').Protocol} N
 * @param {N} name
 * @param {import('./protocol.js').Protocol[N]['args']} [args]
 * @returns {Promise<import('./protocol.js').Protocol[N]['result']>}
 */
export async function request(name, args = /** @type {any} */ ({})) {
  let answer;
  for (let attempt = 0; ; attempt++) {
    try {
      answer = await ext.runtime.sendMessage({ request: name, args });
      if (answer !== undefined) break;
    } catch (err) {
      if (attempt >= retryDelays.length) throw new RequestError('failed', `mailseal: ${name}: ${err?.message ?? err}`);
    }
    if (attempt >= retryDelays.length) break;
    await new Promise((r) => setTimeout(r, retryDelays[attempt]));
  }
  if (!answer) throw new RequestError('failed', `mailseal: ${name}: no answer`);
  if (answer.error) throw new RequestError(answer.error.code ?? 'failed', String(answer.error.message ?? answer.error));
  return answer.result;
}

// requestPatiently is for requests that are safe to send twice (reading settings, a lookup):
// an attempt that gets no answer in attemptMillis is abandoned and sent again, with growing
// pauses, for up to totalMillis. Chrome can hold a message sent while its service worker is
// stopping without ever answering it; a content script that waited on it would never start.
/**
 * @template {keyof import('./protocol.js').Protocol} N
 * @param {N} name
 * @param {import('./protocol.js').Protocol[N]['args']} [args]
 * @returns {Promise<import('./protocol.js').Protocol[N]['result']>}
 */
export async function requestPatiently(name, args = /** @type {any} */ ({}), { attemptMillis = 8000, totalMillis = 60000 } = {}) {
  const until = Date.now() + totalMillis;
  let pause = 250;
  for (;;) {
    let timer;
    const late = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`mailseal: ${name}: no answer in ${attemptMillis} ms`)), attemptMillis); });
    try {
      return await Promise.race([request(name, args), late]);
    } catch (err) {
      if (Date.now() + pause >= until) throw err;
    } finally {
      clearTimeout(timer);
    }
    await new Promise((r) => setTimeout(r, pause));
    pause = Math.min(pause * 2, 4000);
  }
}
