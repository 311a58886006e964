// The compose window's tests (compose-window.mjs) in Firefox.
import { composeWindowSuite } from './compose-window.mjs';

composeWindowSuite('firefox');
