// Red-team compose-window findings (redteam-compose.mjs) in Firefox.
import { redteamSuite } from './redteam-compose.mjs';

redteamSuite('firefox');
