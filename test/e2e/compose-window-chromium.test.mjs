// The compose window's tests (compose-window.mjs) in Chromium.
import { composeWindowSuite } from './compose-window.mjs';

composeWindowSuite('chromium');
