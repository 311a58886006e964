// The user's settings (storage.local) merged with what an administrator set (trust.js policy()).
import { ext } from '../platform.js';

const markWords = ['harbor', 'maple', 'comet', 'lantern', 'orchid', 'falcon', 'glacier', 'saffron',
  'meadow', 'cobalt', 'ember', 'willow', 'quartz', 'juniper', 'pebble', 'tundra'];
const markColors = ['#7b1fa2', '#00695c', '#c62828', '#1565c0', '#ef6c00', '#2e7d32', '#ad1457', '#4e342e'];

export const defaults = Object.freeze({
  providers: { gmail: true, outlook: true },
  showUnsignedChip: true,
  checkRevocation: false,
  outlookClientId: '',
});

// randomMark picks a first security mark the page cannot guess; the first-run page, opened on
// install, lets the user choose their own.
export function randomMark() {
  const r = crypto.getRandomValues(new Uint32Array(2));
  return { word: markWords[r[0] % markWords.length], color: markColors[r[1] % markColors.length] };
}

export async function loadSettings() {
  const { settings = {} } = await ext.storage.local.get('settings');
  const merged = { ...defaults, ...settings, providers: { ...defaults.providers, ...settings.providers } };
  if (!merged.mark) {
    merged.mark = randomMark();
    await ext.storage.local.set({ settings: { ...settings, mark: merged.mark } });
  }
  return merged;
}

const markColor = /^#[0-9a-f]{6}$/i;

export async function saveSettings(change) {
  const { settings = {} } = await ext.storage.local.get('settings');
  const next = { ...settings };
  if (change.providers) {
    next.providers = { ...settings.providers };
    for (const name of ['gmail', 'outlook']) {
      if (typeof change.providers[name] === 'boolean') next.providers[name] = change.providers[name];
    }
  }
  if (typeof change.showUnsignedChip === 'boolean') next.showUnsignedChip = change.showUnsignedChip;
  if (typeof change.checkRevocation === 'boolean') next.checkRevocation = change.checkRevocation;
  if (change.mark) {
    const word = String(change.mark.word ?? '').trim().slice(0, 24);
    if (!word || !markColor.test(change.mark.color ?? '')) throw new Error('settings: a mark needs a word and a #rrggbb colour');
    next.mark = { word, color: change.mark.color };
  }
  if (typeof change.outlookClientId === 'string') {
    const id = change.outlookClientId.trim();
    if (id && !/^[0-9a-f-]{36}$/i.test(id)) throw new Error('settings: an app registration id is a GUID');
    next.outlookClientId = id;
  }
  await ext.storage.local.set({ settings: next });
  return loadSettings();
}
