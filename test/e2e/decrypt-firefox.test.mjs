// Reading encrypted mail (decrypt.mjs) in Firefox.
import { decryptSuite } from './decrypt.mjs';

decryptSuite('firefox');
