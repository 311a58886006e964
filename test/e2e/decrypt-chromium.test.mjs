// Reading encrypted mail (decrypt.mjs) in Chromium.
import { decryptSuite } from './decrypt.mjs';

decryptSuite('chromium');
