// request sends one named request to the background (background/handlers.js) and returns its result.
//
// A Chrome service worker or Firefox event page may be stopping just as a request is sent; the
// browser then rejects the send ("Receiving end does not exist") and starts the background again
// for the next one. Such failures are retried a few times; an answer that is an error (the
// background refused or failed) is not.
import { ext } from './platform.js';

// About six seconds in all: a busy machine can take that long to bring a worker back.
const retryDelays = [50, 150, 400, 800, 1500, 3000];

export async function request(name, args = {}) {
  let answer;
  for (let attempt = 0; ; attempt++) {
    try {
      answer = await ext.runtime.sendMessage({ request: name, args });
      if (answer !== undefined) break;
    } catch (err) {
      if (attempt >= retryDelays.length) throw new Error(`mailseal: ${name}: ${err?.message ?? err}`);
    }
    if (attempt >= retryDelays.length) break;
    await new Promise((r) => setTimeout(r, retryDelays[attempt]));
  }
  if (!answer || answer.error) throw new Error(`mailseal: ${name}: ${answer?.error ?? 'no answer'}`);
  return answer.result;
}
