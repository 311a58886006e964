// The e2e suite in headless Chromium (/usr/bin/chromium).
import { suite } from './suite.mjs';

suite('chromium');
