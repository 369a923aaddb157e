// The meeting the browser tests share: build/bin/sfu and build/bin/signaling
// on loopback (lib/servers.js), Chromium pages running the web client
// (signaling/web/) loaded from the signaling server with /?token=..., every
// figure read through window.cau.stats() (docs/protocol.md); and a raw
// WebSocket client (lib/wsclient.js) for what a browser would not send.
'use strict';

const { launch } = require('./chromium');
const { waitFor, assert, sharedSetup } = require('./runner');
const { Servers } = require('./servers');
const { WsClient } = require('./wsclient');
const { OFFER } = require('./ice_peer');

const M = { servers: null, browser: null, pages: [] };

// The servers and the browser, set up by the first case that needs them;
// the cases after a failed setup fail with a short reason.
const meeting = sharedSetup('meeting', async () => {
    M.servers = new Servers();
    await M.servers.start();
    M.browser = await launch();
});

async function cleanup() {
    if (M.browser) await M.browser.close().catch(() => {});
    if (M.servers) {
        const exits = await M.servers.stop();
        console.log(`  servers stopped: ${JSON.stringify(exits)}`);
    }
}

// The last case of a file: fn, then cleanup() whatever happened.
async function lastWithCleanup(fn) {
    try {
        await fn();
    } finally {
        await cleanup();
    }
}

const open = () => M.pages.filter((p) => !p.closed);

async function openPage(role, name) {
    const token = M.servers.token(role, name);
    const page = await M.browser.context.newPage();
    const p = { page, role, name, errors: [], id: null, closed: false };
    page.on('pageerror', (e) => p.errors.push(e.message));
    M.pages.push(p);
    await page.goto(`${M.servers.url}/?token=${encodeURIComponent(token)}`);
    return p;
}

// The three pages the meeting tests start with: a chair, two participants.
function openThreePages() {
    return Promise.all([
        openPage('chair', 'UBND tỉnh Thái Nguyên'),
        openPage('participant', 'Phường Gia Sàng'),
        openPage('participant', 'Xã Tân Cương'),
    ]);
}

// A page of the web client joining srv's room as role/name, on its own
// (not one of M.pages), once joined (10 s): its uncaught errors, stats()
// (window.cau.stats(), null before the client loaded) and s, the stats
// when it had joined.
async function joinPage(context, srv, role, name) {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${srv.url}/?token=${encodeURIComponent(srv.token(role, name))}`);
    const stats = () => page.evaluate(() => (window.cau ? window.cau.stats() : null));
    const s = await waitFor(
        async () => {
            const x = await stats();
            return x && x.joined ? x : { ok: false, x };
        },
        10000,
        `${name} joined`
    );
    return { page, errors, stats, s };
}

function snap(p) {
    return p.page.evaluate(async () => {
        if (!window.cau) return { s: null, now: performance.now(), joinedAt: null, status: 'no window.cau' };
        const s = await window.cau.stats();
        const el = document.getElementById('status');
        const status = el.dataset.kind === 'error' ? `error: ${el.textContent}` : el.textContent;
        return { s, now: performance.now(), joinedAt: window.cau.joinedAt, status };
    });
}

async function expectJoined(p, ms) {
    const r = await waitFor(
        async () => {
            const x = await snap(p);
            return { ok: !!(x.s && x.s.joined), status: x.status };
        },
        ms,
        `${p.name} joined`
    );
    const { s } = await snap(p);
    assert(s.self && s.self.name === p.name && s.self.role === p.role,
        `${p.name}: self is ${JSON.stringify(s.self)} (status ${r.status})`);
    p.id = s.self.id;
    return s;
}

// Every open page lists exactly the other open pages, names and roles.
async function expectRoster(ms) {
    await waitFor(
        async () => {
            const wrong = [];
            for (const p of open()) {
                const { s } = await snap(p);
                const want = open()
                    .filter((q) => q !== p)
                    .map((q) => `${q.id}|${q.name}|${q.role}`)
                    .sort();
                const got = ((s && s.participants) || []).map((q) => `${q.id}|${q.name}|${q.role}`).sort();
                if (JSON.stringify(want) !== JSON.stringify(got)) wrong.push({ page: p.name, want, got });
            }
            return { ok: wrong.length === 0, wrong };
        },
        ms,
        'every page listing the others'
    );
}

function mediaFrom(s, id) {
    const v = s.inbound.filter((e) => e.participant === id && e.kind === 'video');
    const a = s.inbound.filter((e) => e.participant === id && e.kind === 'audio');
    return {
        frames: v.reduce((n, e) => n + e.framesDecoded, 0),
        width: Math.max(0, ...v.map((e) => e.frameWidth)),
        height: Math.max(0, ...v.map((e) => e.frameHeight)),
        level: Math.max(0, ...a.map((e) => e.audioLevel)),
        audioPackets: a.reduce((n, e) => n + e.packetsReceived, 0),
    };
}

// Each page of `to` decodes video from each page of `from` (framesDecoded
// rising between two polls, frameWidth > 0) and, with audio, has seen an
// audioLevel > 0 from it. Returns the last figures per pair.
async function expectMedia(to, from, ms, what, audio = true) {
    const prev = new Map();
    const heard = new Set();
    const r = await waitFor(
        async () => {
            const missing = [];
            const figures = {};
            for (const p of to) {
                const { s, status } = await snap(p);
                if (!s) {
                    missing.push(`${p.name}: no window.cau`);
                    continue;
                }
                if (status.startsWith('error')) missing.push(`${p.name}: ${status}`);
                for (const q of from) {
                    if (q === p) continue;
                    const key = `${p.name} <- ${q.name}`;
                    const m = mediaFrom(s, q.id);
                    const rising = prev.has(key) && m.frames > prev.get(key);
                    prev.set(key, m.frames);
                    if (m.level > 0) heard.add(key);
                    figures[key] = m;
                    if (!rising || m.width <= 0) missing.push(`${key}: video ${m.frames} frames ${m.width}px`);
                    if (audio && !heard.has(key))
                        missing.push(`${key}: audio level ${m.level}, ${m.audioPackets} packets`);
                }
            }
            return { ok: missing.length === 0, missing, figures };
        },
        ms,
        what
    );
    return r.figures;
}

function printFigures(figures) {
    for (const [key, m] of Object.entries(figures))
        console.log(`  ${key}: ${m.frames} frames ${m.width}x${m.height}, audio level ${m.level.toFixed(3)}`);
}

// No uncaught exception in any page, no error in an open page's status line.
async function expectNoPageErrors() {
    const errs = M.pages.flatMap((p) => p.errors.map((e) => `${p.name}: ${e}`));
    for (const p of open()) {
        const { status } = await snap(p);
        if (status.startsWith('error')) errs.push(`${p.name}: status ${status}`);
    }
    assert(errs.length === 0, `page errors: ${errs.join('; ')}`);
}


// ---- a raw WebSocket -------------------------------------------------------

async function client() {
    const c = new WsClient(M.servers.wsUrl);
    await c.open();
    return c;
}

async function rawJoin(c, token) {
    const from = c.messages.length;
    c.send({ type: 'join', token });
    const m = await c.next((x) => x.type === 'joined' || x.type === 'error', 5000, 'joined', from);
    assert(m.type === 'joined', `join refused: ${JSON.stringify(m)}`);
    return m;
}

// An init script: every RTCPeerConnection a page makes, kept in
// window.cauTestPcs so that a test can read getStats of each (window.cau
// does not expose the connections). Add it before the pages open.
function keepPeerConnections() {
    const Native = window.RTCPeerConnection;
    window.cauTestPcs = [];
    window.RTCPeerConnection = class extends Native {
        constructor(...args) {
            super(...args);
            window.cauTestPcs.push(this);
        }
    };
}

// A page's estimate of what it may send (availableOutgoingBitrate of the
// selected pair) on its connection that sends video, or null.
function sendEstimate(p) {
    return p.page.evaluate(async () => {
        for (const pc of window.cauTestPcs || []) {
            const list = [];
            (await pc.getStats()).forEach((s) => list.push(s));
            if (!list.some((s) => s.type === 'outbound-rtp' && s.kind === 'video')) continue;
            const t = list.find((s) => s.type === 'transport' && s.selectedCandidatePairId);
            const pair = t && list.find((s) => s.id === t.selectedCandidatePairId);
            if (pair && typeof pair.availableOutgoingBitrate === 'number') return pair.availableOutgoingBitrate;
        }
        return null;
    });
}

// A raw participant publishing Chromium's offer with the ICE peer's
// credentials (lib/ice_peer.js); the peer passes the check of the bridge's
// publish transport (nominating unless nominate is false). Returns the
// bridge's port.
async function icePublish(c, peer, token, nominate = true) {
    await rawJoin(c, token);
    const offer = OFFER.replace(/a=ice-ufrag:.*\r\n/g, `a=ice-ufrag:${peer.ufrag}\r\n`)
        .replace(/a=ice-pwd:.*\r\n/g, `a=ice-pwd:${peer.pwd}\r\n`)
        .replace(/a=candidate:.*\r\n/g, '');
    const from = c.messages.length;
    c.send({ type: 'publish', sdp: offer });
    const a = await c.next((x) => x.type === 'publish_answer' || x.type === 'error', 5000, 'publish_answer', from);
    assert(a.type === 'publish_answer', `the ICE peer's publish: ${JSON.stringify(a)}`);
    const cand = /candidate:\S+ 1 udp \d+ 127\.0\.0\.1 (\d+) typ host/i;
    let m = cand.exec(a.sdp);
    if (!m) {
        const t = await c.next((x) => x.type === 'candidate' && cand.test(x.candidate), 5000, 'the bridge\'s candidate', from);
        m = cand.exec(t.candidate);
    }
    c.send({ type: 'candidate', pc: 'publish', candidate: peer.candidate() });
    const port = Number(m[1]);
    const ufrag = /a=ice-ufrag:(\S+)/.exec(a.sdp)[1];
    const pwd = /a=ice-pwd:(\S+)/.exec(a.sdp)[1];
    await peer.connect(port, ufrag, pwd, 5000, nominate);
    return { port, ufrag, pwd };
}

module.exports = {
    icePublish,
    keepPeerConnections,
    sendEstimate,
    M,
    meeting,
    cleanup,
    lastWithCleanup,
    open,
    openPage,
    openThreePages,
    joinPage,
    snap,
    expectJoined,
    expectRoster,
    mediaFrom,
    expectMedia,
    printFigures,
    expectNoPageErrors,
    client,
    rawJoin,
};
