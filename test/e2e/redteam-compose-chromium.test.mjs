// Red-team compose-window findings (redteam-compose.mjs) in Chromium.
import { redteamSuite } from './redteam-compose.mjs';

redteamSuite('chromium');
