// Sending encrypted (encrypt.mjs) in Firefox.
import { encryptSuite } from './encrypt.mjs';

encryptSuite('firefox');
