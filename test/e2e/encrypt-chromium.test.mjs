// Sending encrypted (encrypt.mjs) in Chromium.
import { encryptSuite } from './encrypt.mjs';

encryptSuite('chromium');
