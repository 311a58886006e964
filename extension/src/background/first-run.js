// @ts-check
// The first-run page (pages/first-run.html): opened on install, reopened from the popup. Whether
// the user finished it is kept as `firstRun` in storage.local (migrations.js); until then the
// popup points to it.
import { ext } from '../platform.js';

export const firstRunPage = 'pages/first-run.html';

export function openFirstRun() {
  return ext.tabs.create({ url: ext.runtime.getURL(firstRunPage) });
}

export const firstRunHandlers = {
  // firstRun answers whether the first run was finished; {done: true} records that it now was.
  async firstRun(args) {
    if (args.done === true) await ext.storage.local.set({ firstRun: { done: true, at: Date.now(), by: 'user' } });
    const { firstRun } = await ext.storage.local.get('firstRun');
    return { done: Boolean(firstRun?.done) };
  },
};
