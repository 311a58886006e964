// The e2e suite in headless Firefox ESR (/usr/bin/firefox-esr), over WebDriver BiDi.
import { suite } from './suite.mjs';

suite('firefox');
