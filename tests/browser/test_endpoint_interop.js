// The C endpoint (build/bin/cau-endpoint) against Debian's Chromium, both
// directions at once on one peer connection: Chromium publishes its fake
// camera and microphone, the endpoint its test pattern and tone. Playwright
// carries the SDP and the trickled candidates between the page and the
// endpoint's JSON lines. Run by tests/run.sh; prints PASS/FAIL per case.
'use strict';

const { launch, blankPage } = require('./lib/chromium');
const { Endpoint } = require('./lib/endpoint');
const { run, waitFor, assert } = require('./lib/runner');

// ---- in the page ----------------------------------------------------------

async function pageSetup() {
    window.stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
    const pc = new RTCPeerConnection();
    window.pc = pc;
    // Chromium decodes (and measures) remote audio only while it plays.
    pc.ontrack = (e) => {
        if (e.track.kind !== 'audio') return;
        const el = document.createElement('audio');
        el.autoplay = true;
        el.srcObject = new MediaStream([e.track]);
        document.body.appendChild(el);
    };
    pc.onicecandidate = (e) =>
        window.cauSignal({ type: 'candidate', candidate: e.candidate ? e.candidate.candidate : '' });
}

async function pageAnswer(offer) {
    const pc = window.pc;
    await pc.setRemoteDescription({ type: 'offer', sdp: offer });
    for (const t of pc.getTransceivers()) {
        const track = window.stream.getTracks().find((x) => x.kind === t.receiver.track.kind);
        await t.sender.replaceTrack(track);
        t.sender.setStreams(window.stream);
        t.direction = 'sendrecv';
    }
    await pc.setLocalDescription(await pc.createAnswer());
    return pc.localDescription.sdp;
}

async function pageOffer() {
    for (const t of window.stream.getTracks()) window.pc.addTrack(t, window.stream);
    await window.pc.setLocalDescription(await window.pc.createOffer());
    return window.pc.localDescription.sdp;
}

async function pageStats() {
    const pc = window.pc;
    const out = { connection: pc.connectionState, inbound: {}, outbound: {}, cipher: null };
    (await pc.getStats()).forEach((s) => {
        if (s.type === 'inbound-rtp')
            out.inbound[s.kind] = {
                packetsReceived: s.packetsReceived,
                packetsLost: s.packetsLost,
                framesDecoded: s.framesDecoded,
                frameWidth: s.frameWidth,
                frameHeight: s.frameHeight,
                audioLevel: s.audioLevel,
            };
        if (s.type === 'outbound-rtp')
            out.outbound[s.kind] = { packetsSent: s.packetsSent, framesEncoded: s.framesEncoded };
        if (s.type === 'transport') out.cipher = s.srtpCipher;
    });
    return out;
}

// ---- in node --------------------------------------------------------------

// One page and one endpoint, signaling wired up. endpointOffers picks who
// offers.
async function connect(browser, args, endpointOffers) {
    const page = await blankPage(browser.context, 'endpoint interop');
    const ep = new Endpoint(endpointOffers ? ['--offer', ...args] : args);
    let pcReady = false;
    const pending = [];
    const toPage = (c) => page.evaluate((c) => window.pc.addIceCandidate(c ? { candidate: c, sdpMid: '0' } : null), c);
    ep.onMessage = (m) => {
        if (m.type !== 'candidate') return;
        if (pcReady) toPage(m.candidate).catch(() => {});
        else pending.push(m.candidate);
    };
    // The page trickles candidates while setLocalDescription runs, through a
    // channel that does not keep order with page.evaluate's result: hold
    // them until the endpoint has the description they belong to (it
    // refuses a candidate before the description, as a browser does).
    let epReady = false;
    const toEndpoint = [];
    await page.exposeFunction('cauSignal', (msg) => (epReady ? ep.send(msg) : toEndpoint.push(msg)));
    await page.evaluate(pageSetup);
    if (endpointOffers) {
        const offer = await ep.next((m) => m.type === 'offer', 5000, 'offer');
        const answer = await page.evaluate(pageAnswer, offer.sdp);
        ep.send({ type: 'answer', sdp: answer });
    } else {
        const offer = await page.evaluate(pageOffer);
        ep.send({ type: 'offer', sdp: offer });
        const answer = await ep.next((m) => m.type === 'answer' || m.type === 'error', 5000, 'answer');
        assert(answer.type === 'answer', `endpoint refused the offer: ${answer.message}`);
        await page.evaluate((sdp) => window.pc.setRemoteDescription({ type: 'answer', sdp }), answer.sdp);
    }
    epReady = true;
    for (const m of toEndpoint.splice(0)) ep.send(m);
    pcReady = true;
    for (const c of pending.splice(0)) await toPage(c).catch(() => {});
    return { page, ep };
}

// getStats names of the SRTP profiles.
const CHROMIUM_CIPHER = {
    AEAD_AES_128_GCM: 'SRTP_AEAD_AES_128_GCM',
    AES_CM_128_HMAC_SHA1_80: 'SRTP_AES128_CM_HMAC_SHA1_80',
};

// Both sides decode the other's video and hear its audio.
async function expectMediaBothWays(page, ep, cipher) {
    const state = await ep.next((m) => m.type === 'state' && m.state !== 'connecting', 15000, 'connection');
    assert(state.state === 'connected', `endpoint transport ${state.state}: ${state.reason}`);
    assert(state.srtp_profile === cipher, `endpoint profile ${state.srtp_profile}, wanted ${cipher}`);
    const ps = await waitFor(
        async () => {
            const s = await page.evaluate(pageStats);
            const v = s.inbound.video || {};
            const a = s.inbound.audio || {};
            return { ok: v.framesDecoded > 30 && v.frameWidth > 0 && a.audioLevel > 0, s };
        },
        20000,
        'Chromium decoding the endpoint'
    );
    assert(ps.s.cipher === CHROMIUM_CIPHER[cipher], `Chromium srtpCipher ${ps.s.cipher}, wanted ${cipher}`);
    assert(ps.s.inbound.video.frameWidth === 640 && ps.s.inbound.video.frameHeight === 360,
        `Chromium sees ${ps.s.inbound.video.frameWidth}x${ps.s.inbound.video.frameHeight}, sent 640x360`);
    const es = await waitFor(
        async () => {
            const s = await ep.stats();
            const v = s.in.video;
            const a = s.in.audio;
            return { ok: v.frames_decoded > 30 && v.width > 0 && a.frames_decoded > 20 && a.audio_dbfs > -60, s };
        },
        20000,
        'the endpoint decoding Chromium'
    );
    const v = es.s.in.video;
    const errors = ep.messages.filter((m) => m.type === 'error');
    assert(errors.length === 0, `endpoint errors: ${JSON.stringify(errors)}`);
    assert(v.width >= 160 && v.height >= 90 && v.width <= 1920, `implausible size ${v.width}x${v.height}`);
    console.log(
        `  chromium: ${ps.s.inbound.video.framesDecoded} frames ${ps.s.inbound.video.frameWidth}x` +
            `${ps.s.inbound.video.frameHeight}, audioLevel ${ps.s.inbound.audio.audioLevel.toFixed(3)}; ` +
            `endpoint: ${v.frames_decoded} frames ${v.width}x${v.height} ${v.fps.toFixed(1)} fps, ` +
            `audio ${es.s.in.audio.audio_dbfs.toFixed(1)} dBFS; cipher ${cipher}`
    );
}

async function withBrowser(fn) {
    const browser = await launch();
    const eps = [];
    try {
        await fn(browser, eps);
    } finally {
        for (const ep of eps) await ep.stop();
        await browser.close();
    }
}

const cases = [
    ['endpoint offers, both ways, AEAD_AES_128_GCM', () =>
        withBrowser(async (browser, eps) => {
            const { page, ep } = await connect(browser, [], true);
            eps.push(ep);
            await expectMediaBothWays(page, ep, 'AEAD_AES_128_GCM');
        })],
    ['Chromium offers, both ways, AES_CM_128_HMAC_SHA1_80', () =>
        withBrowser(async (browser, eps) => {
            const { page, ep } = await connect(browser, ['--srtp-profiles', 'SRTP_AES128_CM_SHA1_80'], false);
            eps.push(ep);
            await expectMediaBothWays(page, ep, 'AES_CM_128_HMAC_SHA1_80');
        })],
    ['a wrong fingerprint is refused', () =>
        withBrowser(async (browser, eps) => {
            const { page, ep } = await connect(browser, ['--tamper-fingerprint'], true);
            eps.push(ep);
            const st = await ep.next((m) => m.type === 'state' && m.state === 'failed', 15000, 'failure');
            assert(/fingerprint/i.test(st.reason), `failed for another reason: ${st.reason}`);
            const s = await ep.stats();
            assert(s.in.video.frames_decoded === 0, 'video decoded despite the bad fingerprint');
            const ps = await page.evaluate(pageStats);
            const v = ps.inbound.video || {};
            assert(!(v.framesDecoded > 0), 'Chromium decoded video despite the bad fingerprint');
            console.log(`  endpoint: ${st.reason}; Chromium connectionState ${ps.connection}`);
        })],
];

run(cases);
