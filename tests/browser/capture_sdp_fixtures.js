#!/usr/bin/env node
// Captures real SDP from Chromium for the SDP parser tests.
//
//   node tests/browser/capture_sdp_fixtures.js OUTDIR
//
// Writes OUTDIR/chromium_{av_offer,simulcast_offer,audio_offer,av_answer}.sdp.
//
// No network is used. getUserMedia needs a secure context, which about:blank
// and data: pages are not, so the page is an empty document that Playwright
// serves itself for https://cau.invalid/ (the .invalid TLD never resolves,
// RFC 2606) and every other request is aborted. Media comes from Chromium's
// fake devices; host names resolve to nothing; mDNS hiding is off so the
// candidates carry plain loopback/host addresses.
'use strict';

const fs = require('fs');
const path = require('path');
const { launch, blankPage } = require('./lib/chromium');

// Runs in the page. Waits for ICE gathering so the offers carry candidates.
async function pageCapture() {
    const gathered = (pc) =>
        new Promise((resolve) => {
            if (pc.iceGatheringState === 'complete') return resolve();
            const timer = setTimeout(resolve, 5000);
            pc.addEventListener('icegatheringstatechange', () => {
                if (pc.iceGatheringState === 'complete') {
                    clearTimeout(timer);
                    resolve();
                }
            });
        });
    const offer = async (pc) => {
        await pc.setLocalDescription(await pc.createOffer());
        await gathered(pc);
        return pc.localDescription.sdp;
    };
    const out = {};

    // (a) audio + video from fake devices.
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
    const av = new RTCPeerConnection();
    for (const t of stream.getTracks()) av.addTrack(t, stream);
    out.av_offer = await offer(av);

    // (d) the answer a second peer gives to offer (a).
    const ans = new RTCPeerConnection();
    await ans.setRemoteDescription({ type: 'offer', sdp: out.av_offer });
    const stream2 = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
    const senders = ans.getTransceivers();
    for (const t of stream2.getTracks()) {
        const tr = senders.find((x) => x.receiver.track.kind === t.kind);
        await tr.sender.replaceTrack(t);
        tr.direction = 'sendrecv';
        tr.sender.setStreams(stream2);
    }
    await ans.setLocalDescription(await ans.createAnswer());
    await gathered(ans);
    out.av_answer = ans.localDescription.sdp;

    // (b) VP8 simulcast with three rids.
    const sim = new RTCPeerConnection();
    const tr = sim.addTransceiver('video', {
        direction: 'sendonly',
        sendEncodings: [
            { rid: 'q', scaleResolutionDownBy: 4 },
            { rid: 'h', scaleResolutionDownBy: 2 },
            { rid: 'f', scaleResolutionDownBy: 1 },
        ],
    });
    const vp8 = RTCRtpSender.getCapabilities('video').codecs.filter(
        (c) => c.mimeType === 'video/VP8' || c.mimeType === 'video/rtx'
    );
    tr.setCodecPreferences(vp8);
    out.simulcast_offer = await offer(sim);

    // (c) audio only, no data channel.
    const ao = new RTCPeerConnection();
    ao.addTrack(stream.getAudioTracks()[0], stream);
    out.audio_offer = await offer(ao);

    for (const pc of [av, ans, sim, ao]) pc.close();
    for (const t of [...stream.getTracks(), ...stream2.getTracks()]) t.stop();
    return out;
}

async function main() {
    const outdir = process.argv[2];
    if (!outdir) {
        console.error('usage: node capture_sdp_fixtures.js OUTDIR');
        process.exit(2);
    }
    fs.mkdirSync(outdir, { recursive: true });
    const browser = await launch();
    try {
        const page = await blankPage(browser.context, 'sdp capture');
        const sdps = await page.evaluate(pageCapture);
        for (const [name, sdp] of Object.entries(sdps)) {
            const file = path.join(outdir, `chromium_${name}.sdp`);
            fs.writeFileSync(file, sdp);
            console.log(`${file}: ${sdp.length} bytes`);
        }
        const version = browser.context.browser() ? browser.context.browser().version() : '?';
        console.log(`browser version ${version}`);
        console.log(`user agent ${await page.evaluate(() => navigator.userAgent)}`);
    } finally {
        await browser.close();
    }
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
