// The compose-window attack tests (compose-attack.mjs) in Chromium.
import { attackSuite } from './compose-attack.mjs';

attackSuite('chromium');
