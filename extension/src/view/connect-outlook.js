// @ts-check
// The "Connect Outlook" button of the popup and the first-run page: the one place an interactive
// Microsoft sign-in starts (background connectOutlook, graph.js).
import { request } from '../request.js';
import { t } from './dom.js';

export function connectOutlookButton(button, result, onConnected = () => {}) {
  button.addEventListener('click', async () => {
    try {
      await request('connectOutlook');
      result.textContent = t('outlookConnected');
      onConnected();
    } catch (err) {
      result.textContent = err.message;
    }
  });
}
