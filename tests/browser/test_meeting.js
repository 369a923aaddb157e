// The first real meeting: build/bin/sfu and build/bin/signaling on
// loopback with a config of their own, Chromium pages running the web
// client (signaling/web/) loaded from the signaling server itself with
// /?token=... (lib/meeting.js). Every figure comes from window.cau.stats()
// (docs/protocol.md), the bridge's own from GET /metrics. Bad input is in
// test_meeting_bad_input.js. Run by tests/run.sh; prints PASS/FAIL per case.
'use strict';

const fs = require('fs');
const path = require('path');
const { launch } = require('./lib/chromium');
const { run, waitFor, assert } = require('./lib/runner');
const { TOP, httpGet } = require('./lib/servers');
const {
    M,
    meeting,
    lastWithCleanup,
    open,
    openPage,
    openThreePages,
    snap,
    expectJoined,
    expectRoster,
    mediaFrom,
    expectMedia,
    printFigures,
    expectNoPageErrors,
    keepPeerConnections,
    sendEstimate,
} = require('./lib/meeting');
const { Control } = require('./lib/control');

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

async function threePages() {
    await meeting();
    await M.browser.context.addInitScript(keepPeerConnections);
    const pages = await openThreePages();
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

// ---- GET /metrics ------------------------------------------------------------

// Prometheus text: Map "name{labels}" -> value; throws on any other line.
function parseMetrics(text) {
    const out = new Map();
    for (const line of text.split('\n')) {
        if (!line || line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
        const m = /^(cau_[a-z_]+(?:\{[a-z_]+="[a-z_]+"\})?) (\d+)$/.exec(line);
        assert(m, `a /metrics line that is not "name value": ${JSON.stringify(line)}`);
        out.set(m[1], Number(m[2]));
    }
    return out;
}

// The metric names of the table in docs/operations.md, "## Metrics".
function documentedMetrics() {
    const doc = fs.readFileSync(path.join(TOP, 'docs', 'operations.md'), 'utf8');
    const section = doc.slice(doc.indexOf('\n## Metrics'));
    return [...section.matchAll(/^\| `(cau_[a-z_]+)` \|/gm)].map((m) => m[1]).sort();
}

// The running meeting (the 3 pages and the late joiner) as /metrics shows
// it: one room, a participant per page, audio and video in from each page and
// out to each of the others, media flowing both ways, PLIs (the sfu asked the
// publishers for a key frame for the late joiner); every metric and drop
// reason of docs/operations.md, and no other. NACKs may be 0: loopback loses
// nothing.
async function metricsOfMeeting() {
    await meeting();
    const n = open().length;
    assert(n === 4, `${n} pages open, want the 4 of the cases before`);
    const r = await waitFor(
        async () => {
            const { status, body } = await httpGet(`${M.servers.url}/metrics`);
            if (status !== 200) return { ok: false, status, body: body.slice(0, 200) };
            const v = parseMetrics(body);
            const want = {
                'cau_sfu_up = 1': v.get('cau_sfu_up') === 1,
                'cau_rooms = 1': v.get('cau_rooms') === 1,
                [`cau_participants = ${n}`]: v.get('cau_participants') === n,
                [`cau_connections >= ${n}`]: v.get('cau_connections') >= n,
                [`streams in = ${2 * n}`]: v.get('cau_streams{direction="in"}') === 2 * n,
                [`streams out = ${2 * n * (n - 1)}`]: v.get('cau_streams{direction="out"}') === 2 * n * (n - 1),
                'bitrate in > 0': v.get('cau_bitrate_bps{direction="in"}') > 0,
                'bitrate out > 0': v.get('cau_bitrate_bps{direction="out"}') > 0,
                'plis > 0': v.get('cau_plis_total') > 0,
                'nacks counted': v.get('cau_nacks_total') >= 0,
            };
            const wrong = Object.keys(want).filter((k) => !want[k]);
            return { ok: wrong.length === 0, wrong, v, body };
        },
        10000,
        '/metrics describing the 3-page meeting'
    );
    const names = [...new Set([...r.v.keys()].map((k) => k.replace(/\{.*/, '')))].sort();
    const doc = documentedMetrics();
    assert(JSON.stringify(names) === JSON.stringify(doc),
        `/metrics emits ${names.join(' ')}; docs/operations.md lists ${doc.join(' ')}`);
    const reasons = (name) => [...r.v.keys()].filter((k) => k.startsWith(`${name}{`)).map((k) => /"(.*)"/.exec(k)[1]);
    const drops = reasons('cau_drops_total');
    for (const want of ['too_large', 'rate_limited', 'invalid', 'sfu_down', 'unrouted', 'slow_client', 'sfu_invalid', 'media'])
        assert(drops.includes(want), `no cau_drops_total{reason="${want}"}: ${drops.join(', ')}`);
    const media = reasons('cau_sfu_dropped_packets_total');
    assert(media.length >= 6, `cau_sfu_dropped_packets_total reasons: ${media.join(', ')}`);
    const shown = [...r.v].filter(([k, x]) => x !== 0 && !k.startsWith('cau_ws_errors_total'));
    console.log(`  ${shown.map(([k, x]) => `${k} ${x}`).join(', ')}`);
    M.servers.assertAlive();
}

// The issue's figure: a late joiner decodes the others within 2 s of
// joined. A sanitizer build (`make test SANITIZE=...` puts SANITIZE in the
// environment) runs the whole bridge several times slower: there the
// figure is printed and only bounded by 10 s.
const LATE_JOIN_MS = process.env.SANITIZE ? 10000 : 2000;

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
    assert(elapsed <= LATE_JOIN_MS,
        `video from the others took ${elapsed.toFixed(0)} ms after joined, want <= ${LATE_JOIN_MS} (${got})`);
    const t0 = Date.now();
    await expectMedia(others, [late], 10000, 'the others decoding the late joiner', false);
    console.log(`  the others decode the late joiner ${Date.now() - t0} ms later`);
    await expectRoster(5000);
    await expectNoPageErrors();
    M.servers.assertAlive();
}

// The bridge's congestion feedback (docs/transport.md, "Congestion
// feedback"): the publish answers take Chromium's transport-wide sequence
// number, so every page numbers the packets it publishes, and the sfu
// answers with transport-wide feedback. Checked in the sfu's stats: every
// page's packets carry the number and feedback went back to each. The
// pages' send estimates are printed: they rise in this meeting with or
// without the feedback (Chromium's loss-based control also raises them
// from receiver reports on a clean link), so they prove nothing alone.
async function congestionFeedback() {
    await meeting();
    const pages = open().filter((p) => p.id);
    assert(pages.length >= 3, 'the pages of the first cases are not there');
    const ctl = await Control.connect(M.servers.config.sfu.control_socket);
    try {
        // Per page, from one snapshot: its twcc figures, and the packets
        // of its audio and video streams into the bridge.
        const twccOf = async () => {
            const r = await ctl.request('stats');
            const parts = (r.rooms || []).flatMap((room) => room.participants || []);
            return pages.map((p) => {
                const q = parts.find((x) => x.participant === p.id) || { streams: [] };
                const media = q.streams.filter((x) => x.direction === 'in').reduce((a, x) => a + x.packets, 0);
                return { ...q.twcc, media };
            });
        };
        const t = await waitFor(
            async () => {
                const v = await twccOf();
                return { ok: v.every((x) => x.packets > 0 && x.feedbacks > 0), v };
            },
            5000,
            'transport-wide sequence numbers from every page and feedback to each'
        );
        const est = await Promise.all(pages.map(sendEstimate));
        for (const [i, p] of pages.entries())
            console.log(`  ${p.name}: ${t.v[i].packets} packets numbered of ${t.v[i].media} audio and video ` +
                `packets, ${t.v[i].late} late, ${t.v[i].feedbacks} feedbacks; send estimate ${Math.round(est[i] / 1000)} kbps`);
        // Every audio and video packet carried the number: both sections
        // took the extension (a packet the sfu did not take as media, such
        // as padding, may add to the numbered ones).
        for (const [i, p] of pages.entries())
            assert(t.v[i].packets >= t.v[i].media, `${p.name}: ${t.v[i].packets} numbered, ${t.v[i].media} media packets`);
    } finally {
        ctl.close();
    }
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

run([
    ['web client loads and reports an unreachable server', clientAlone],
    ['three pages see and hear each other within 15 s', threePages],
    ['a late joiner decodes the others within 2 s of joined', lateJoiner],
    ['/metrics reports the meeting: rooms, participants, streams, bitrates, drops, NACKs, PLIs', metricsOfMeeting],
    ['congestion feedback: every page numbers its packets and gets feedback', congestionFeedback],
    ['a closed page leaves the others within 10 s', closedPage],
    ['mic, camera and leave buttons', () => lastWithCleanup(buttons)],
]);
