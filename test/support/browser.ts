import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Where Chromium usually is: Debian/Ubuntu, Fedora/Arch, macOS. */
const USUAL_PLACES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];

/** `SFRELAY_CHROMIUM=/path/to/chromium` picks the browser; otherwise the first usual place that has one. */
export const CHROMIUM =
  process.env.SFRELAY_CHROMIUM ??
  USUAL_PLACES.find((path) => existsSync(path)) ??
  USUAL_PLACES[0] ??
  '';

/**
 * Whether real Chromium is here. CI (`.ci/run`) installs Debian's package; elsewhere the
 * browser tests skip and say how to enable them, unless CI=true, where a missing browser fails.
 */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI === 'true')
    throw new Error(`${CHROMIUM} is missing; .ci/run installs the Debian package chromium`);
  console.warn(
    `skipping browser tests: ${CHROMIUM} not found (install Chromium, or set SFRELAY_CHROMIUM=/path/to/chromium, to run them)`,
  );
  return false;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}
