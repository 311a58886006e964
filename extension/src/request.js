// request sends one named request to the background (background/handlers.js) and returns its result.
import { ext } from './platform.js';

export async function request(name, args = {}) {
  const answer = await ext.runtime.sendMessage({ request: name, args });
  if (!answer || answer.error) throw new Error(`mailseal: ${name}: ${answer?.error ?? 'no answer'}`);
  return answer.result;
}
