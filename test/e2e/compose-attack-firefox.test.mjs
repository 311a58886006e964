// The compose-window attack tests (compose-attack.mjs) in Firefox ESR.
import { attackSuite } from './compose-attack.mjs';

attackSuite('firefox');
