// The spare banner frame against the page (redteam4-frame.mjs) in Firefox.
import { frameSuite } from './redteam4-frame.mjs';

frameSuite('firefox');
