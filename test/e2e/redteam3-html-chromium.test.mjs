// Decrypted HTML re-parsed in the frame (redteam3-html.mjs) in Chromium.
import { htmlSuite } from './redteam3-html.mjs';

htmlSuite('chromium');
