// Decrypted HTML re-parsed in the frame (redteam3-html.mjs) in Firefox ESR.
import { htmlSuite } from './redteam3-html.mjs';

htmlSuite('firefox');
