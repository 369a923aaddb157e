// The first real meeting: build/bin/sfu and build/bin/signaling on
// loopback with a config of their own, Chromium pages running the web
// client (signaling/web/) loaded from the signaling server itself with
// /?token=..., and a raw WebSocket sending what a browser would not. Every
// figure comes from window.cau.stats() (docs/protocol.md). Run by
// tests/run.sh; prints PASS/FAIL per case.
'use strict';

const fs = require('fs');
const path = require('path');
const { launch } = require('./lib/chromium');
const { run, waitFor, assert } = require('./lib/runner');
const { Servers, TOP } = require('./lib/servers');
const { WsClient } = require('./lib/wsclient');

const WEB = path.join(TOP, 'signaling', 'web');

// ---- the web client on its own ---------------------------------------------

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

// signaling/web/ served by Playwright at https://cau.invalid/ (no server:
// the WebSocket cannot connect).
async function servedPage(context, query) {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.route('**/*', (route) => {
        const url = new URL(route.request().url());
        if (url.origin !== 'https://cau.invalid') return route.abort();
        const file = path.join(WEB, url.pathname === '/' ? 'index.html' : url.pathname);
        if (!file.startsWith(WEB + path.sep) || !fs.existsSync(file))
            return route.fulfill({ status: 404, body: 'not found' });
        const type = `${TYPES[path.extname(file)] || 'application/octet-stream'}; charset=utf-8`;
        return route.fulfill({ status: 200, contentType: type, body: fs.readFileSync(file) });
    });
    await page.goto(`https://cau.invalid/${query}`);
    return { page, errors };
}

const domState = () => ({
    cau: typeof window.cau === 'object' && typeof window.cau.stats === 'function',
    form: !document.getElementById('join-form').hidden,
    status: document.getElementById('status').textContent,
    kind: document.getElementById('status').dataset.kind,
});

async function clientAlone() {
    const browser = await launch();
    try {
        const bare = await servedPage(browser.context, '');
        const d = await waitFor(() => bare.page.evaluate(domState), 5000, 'window.cau');
        assert(d.cau && d.form, `no token: want window.cau and the join form, got ${JSON.stringify(d)}`);
        const s = await bare.page.evaluate(() => window.cau.stats());
        const want = { joined: false, self: null, participants: [], inbound: [], outbound: [] };
        assert(JSON.stringify(s) === JSON.stringify(want), `stats before joining: ${JSON.stringify(s)}`);
        const tok = await servedPage(browser.context, '?token=abc');
        const e = await waitFor(
            async () => {
                const x = await tok.page.evaluate(domState);
                return { ok: x.kind === 'error' && x.form, x };
            },
            10000,
            'an error in the status line when the server cannot be reached'
        );
        const errors = [...bare.errors, ...tok.errors];
        assert(errors.length === 0, `page errors: ${errors.join('; ')}`);
        console.log(`  status: ${e.x.status}`);
    } finally {
        await browser.close();
    }
}

// ---- the meeting -----------------------------------------------------------

const M = { servers: null, browser: null, setup: null, pages: [] };

// The servers and the browser, set up by the first case that needs them;
// the cases after a failed setup fail with a short reason.
async function meeting() {
    if (!M.setup) {
        M.setup = (async () => {
            M.servers = new Servers();
            await M.servers.start();
            M.browser = await launch();
        })();
        return M.setup;
    }
    try {
        await M.setup;
    } catch (e) {
        throw new Error(`no meeting: the setup failed (${e.message.split('\n')[0]})`);
    }
}

async function cleanup() {
    if (M.browser) await M.browser.close().catch(() => {});
    if (M.servers) {
        const exits = await M.servers.stop();
        console.log(`  servers stopped: ${JSON.stringify(exits)}`);
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

async function threePages() {
    await meeting();
    const pages = await Promise.all([
        openPage('chair', 'UBND tỉnh Thái Nguyên'),
        openPage('participant', 'Phường Gia Sàng'),
        openPage('participant', 'Xã Tân Cương'),
    ]);
    const t0 = Date.now();
    for (const p of pages) await expectJoined(p, 10000);
    await expectRoster(5000);
    const figures = await expectMedia(pages, pages, Math.max(0, 15000 - (Date.now() - t0)), 'media both ways in 15 s');
    console.log(`  3 pages see and hear each other ${Date.now() - t0} ms after loading`);
    printFigures(figures);
    // The fake microphone beeps: some remote tile lights up.
    await waitFor(
        async () => {
            const count = () => document.querySelectorAll('.tile.speaking:not(.self)').length;
            const lit = await Promise.all(pages.map((p) => p.page.evaluate(count)));
            return lit.some((n) => n > 0);
        },
        5000,
        'a speaking highlight on a remote tile'
    );
    await expectNoPageErrors();
    M.servers.assertAlive();
}

async function lateJoiner() {
    await meeting();
    const others = open().filter((p) => p.id);
    assert(others.length >= 2, 'the three pages of the first case are not there');
    const late = await openPage('participant', 'Xã Phúc Xuân');
    const s = await expectJoined(late, 10000);
    const ids = others.map((p) => p.id).sort();
    assert(JSON.stringify(s.participants.map((p) => p.id).sort()) === JSON.stringify(ids),
        `joined lists ${JSON.stringify(s.participants)}`);
    // Sampled every 50 ms against the page's own clock.
    let x;
    const deadline = Date.now() + 15000;
    for (;;) {
        x = await snap(late);
        const ok = others.every((q) => {
            const m = mediaFrom(x.s, q.id);
            return m.frames > 0 && m.width > 0;
        });
        if (ok || Date.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 50));
    }
    const frames = others.map((q) => `${q.name}: ${mediaFrom(x.s, q.id).frames} frames`);
    const got = `${frames.join(', ')}; status: ${x.status}`;
    const elapsed = x.now - x.joinedAt;
    console.log(`  late joiner: first video from all ${others.length} others ${elapsed.toFixed(0)} ms after joined`);
    assert(elapsed <= 2000, `video from the others took ${elapsed.toFixed(0)} ms after joined, want <= 2000 (${got})`);
    const t0 = Date.now();
    await expectMedia(others, [late], 10000, 'the others decoding the late joiner', false);
    console.log(`  the others decode the late joiner ${Date.now() - t0} ms later`);
    await expectRoster(5000);
    await expectNoPageErrors();
    M.servers.assertAlive();
}

async function closedPage() {
    await meeting();
    const gone = open().find((p) => p.name === 'Xã Tân Cương');
    assert(gone && gone.id, 'the page to close is not there');
    const t0 = Date.now();
    await gone.page.close();
    gone.closed = true;
    await waitFor(
        async () => {
            const still = [];
            for (const p of open()) {
                const { s } = await snap(p);
                const hasTile = (id) => !!document.querySelector(`.tile[data-id="${CSS.escape(id)}"]`);
                const tile = await p.page.evaluate(hasTile, gone.id);
                if (!s || s.participants.some((q) => q.id === gone.id) || tile) still.push(p.name);
            }
            return { ok: still.length === 0, still };
        },
        10000,
        `${gone.name} leaving every roster`
    );
    console.log(`  ${gone.name} gone from ${open().length} pages in ${Date.now() - t0} ms`);
    await expectRoster(2000);
    M.servers.assertAlive();
}

// ---- bad input on a raw WebSocket ------------------------------------------

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

// A join with token must earn error `code` and the server closing.
async function refusedToken(token, code) {
    const c = await client();
    try {
        await c.expectError({ type: 'join', token }, code);
        await c.closed(5000, `the connection after ${code}`);
    } finally {
        c.close();
    }
}

async function badFrames() {
    const c = await client();
    try {
        await c.expectError('{"type": "join", ', 'bad_json');
        await c.expectError('[1, 2, 3]', 'bad_json');
        await c.expectError({ type: 'publish', sdp: 'v=0\r\n' }, 'not_joined');
        const token = M.servers.token('observer', 'Kiểm thử / raw socket');
        await rawJoin(c, token);
        let e = await c.expectError({ type: 'frobnicate', ref: 'r1' }, 'unknown_type');
        assert(e.ref === 'r1', `unknown_type carries ref ${JSON.stringify(e.ref)}, want "r1"`);
        await c.expectError({ ref: 2 }, 'unknown_type');
        const big = JSON.stringify({ type: 'candidate', pc: 'publish', candidate: 'a'.repeat(70000) });
        await c.expectError(big, 'too_large');
        e = await c.expectError({ type: 'candidate', pc: 'publish', ref: 7 }, 'bad_field');
        assert(e.ref === 7, `bad_field carries ref ${JSON.stringify(e.ref)}, want 7`);
        await c.expectError({ type: 'join', token, ref: 'again' }, 'already_joined');
        await c.expectError('not json at all', 'bad_json');
        assert(c.isOpen, 'the connection was closed after errors that keep it');
        c.send({ type: 'leave' });
    } finally {
        c.close();
    }
}

async function badTokens() {
    const now = Math.floor(Date.now() / 1000);
    const claims = { room: 'demo', role: 'participant', name: 'Kiểm thử', iat: now, exp: now + 600 };
    // Control: a token signed here joins, so the refusals below are about
    // what was changed.
    const c = await client();
    try {
        await rawJoin(c, M.servers.signed(claims));
        c.send({ type: 'leave' });
    } finally {
        c.close();
    }
    await refusedToken('abc', 'bad_token');
    await refusedToken(M.servers.signed(claims, 'not the secret of this bridge 0123456789'), 'bad_token');
    const [h, , sig] = M.servers.signed(claims).split('.');
    const chair = Buffer.from(JSON.stringify({ ...claims, role: 'chair' })).toString('base64url');
    await refusedToken(`${h}.${chair}.${sig}`, 'bad_token');
    await refusedToken(M.servers.signed({ ...claims, role: 'emperor' }), 'bad_token');
    await refusedToken(M.servers.signed({ ...claims, iat: now - 7200, exp: now - 3600 }), 'expired_token');
    await refusedToken(M.servers.signed({ ...claims, room: 'no-such-room' }), 'no_such_room');
}

async function badInput() {
    await meeting();
    const pages = open();
    assert(pages.length >= 2, 'no meeting pages left to watch');
    await badFrames();
    await badTokens();
    // A participant whose socket drops without a close handshake goes too.
    const c = await client();
    const j = await rawJoin(c, M.servers.token('observer', 'Mất mạng / dropped'));
    const id = j.self.id;
    const has = (x) => x.s && x.s.participants.some((q) => q.id === id);
    const listed = async () => (await Promise.all(pages.map(snap))).map(has);
    await waitFor(async () => (await listed()).every((b) => b === true), 5000, 'the raw participant in every roster');
    const t0 = Date.now();
    c.terminate();
    const gone = async () => (await listed()).every((b) => b === false);
    await waitFor(gone, 10000, 'the dropped raw participant leaving every roster');
    console.log(`  dropped socket removed in ${Date.now() - t0} ms`);
    await expectMedia(pages, pages, 5000, 'the meeting still decoding after the bad input', false);
    await expectNoPageErrors();
    M.servers.assertAlive();
}

// ---- the buttons -----------------------------------------------------------

async function buttons() {
    await meeting();
    const [chair, ...rest] = open();
    assert(chair && rest.length >= 1, 'no meeting pages left');
    const label = (p, id) => p.page.evaluate((id) => document.getElementById(id).textContent, id);
    const click = (p, sel) => p.page.click(sel, { timeout: 5000 });
    await click(chair, '#mic');
    assert((await label(chair, 'mic')).startsWith('Bật mic'), 'the mic button does not offer to unmute');
    await click(chair, '#mic');
    assert((await label(chair, 'mic')).startsWith('Tắt mic'), 'the mic button does not offer to mute');
    await click(chair, '#cam');
    assert((await label(chair, 'cam')).startsWith('Bật camera'), 'the camera button does not offer to turn it on');
    await click(chair, '#cam');
    const last = rest[rest.length - 1];
    await click(last, '#leave');
    const x = await snap(last);
    assert(!x.s.joined && /Left/.test(x.status), `after leave: joined ${x.s.joined}, status ${x.status}`);
    last.closed = true;
    const t0 = Date.now();
    await expectRoster(10000);
    console.log(`  ${last.name} left with the button; gone from the others in ${Date.now() - t0} ms`);
    await expectMedia(open(), open(), 5000, 'the rest still decoding', false);
    await expectNoPageErrors();
    M.servers.assertAlive();
}

async function lastWithCleanup(fn) {
    try {
        await fn();
    } finally {
        await cleanup();
    }
}

run([
    ['web client loads and reports an unreachable server', clientAlone],
    ['three pages see and hear each other within 15 s', threePages],
    ['a late joiner decodes the others within 2 s of joined', lateJoiner],
    ['a closed page leaves the others within 10 s', closedPage],
    ['bad input gets its error code and the meeting goes on', badInput],
    ['mic, camera and leave buttons', () => lastWithCleanup(buttons)],
]);
