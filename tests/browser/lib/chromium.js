// Debian's Chromium under Playwright, kept off every network but loopback
// (flags from the design brief), with a fresh profile per launch. Pages are
// served by Playwright itself at https://cau.invalid/ (a secure context for
// getUserMedia that never resolves); every other request is aborted unless
// the test allows loopback HTTP.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');

const CHROMIUM_ARGS = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    '--allow-loopback-in-peer-connection',
    '--disable-features=WebRtcHideLocalIpsWithMdns',
    '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost',
    '--disable-background-timer-throttling',
    '--disable-renderer-backgrounding',
    '--autoplay-policy=no-user-gesture-required',
    '--mute-audio',
];

const PAGE_URL = 'https://cau.invalid/';

async function launch() {
    const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
    if (!fs.existsSync(executablePath))
        throw new Error(`${executablePath} is missing: run make deps`);
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'cau-chromium-'));
    const context = await chromium.launchPersistentContext(profile, {
        executablePath,
        headless: true,
        args: CHROMIUM_ARGS,
    });
    return {
        context,
        async close() {
            await context.close();
            fs.rmSync(profile, { recursive: true, force: true });
        },
    };
}

// A blank secure page at PAGE_URL.
async function blankPage(context, title) {
    const page = await context.newPage();
    await page.route('**/*', (route) => {
        if (route.request().url() === PAGE_URL)
            return route.fulfill({
                status: 200,
                contentType: 'text/html',
                body: `<!doctype html><title>${title}</title>`,
            });
        return route.abort();
    });
    await page.goto(PAGE_URL);
    return page;
}

module.exports = { launch, blankPage, CHROMIUM_ARGS };
