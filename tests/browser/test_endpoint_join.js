// C endpoints as participants of a real meeting: build/bin/sfu and
// build/bin/signaling (lib/servers.js), build/bin/cau-endpoint in join mode
// (--join ws://.../ws --token ...), which joins over the client protocol
// like the web client, publishes its test pattern and tone and, with
// --subscribe, receives every other participant on one renegotiated
// subscribe connection. Our frame numbers arriving prove the pictures
// crossed the bridge; a Chromium page joins the same room. Run by
// tests/run.sh; prints PASS/FAIL per case.
'use strict';

const { launch } = require('./lib/chromium');
const { Endpoint, joinAs, expectEndpointJoined } = require('./lib/endpoint');
const { joinPage, mediaFrom } = require('./lib/meeting');
const { run, waitFor, assert, sharedSetup } = require('./lib/runner');
const { Servers } = require('./lib/servers');

const S = { servers: null, browser: null, eps: [], page: null };

const servers = sharedSetup('servers', async () => {
    S.servers = new Servers();
    await S.servers.start();
});

async function cleanup() {
    for (const ep of S.eps) if (ep.code === undefined) await ep.stop().catch(() => {});
    if (S.browser) await S.browser.close().catch(() => {});
    if (S.servers) {
        const exits = await S.servers.stop();
        console.log(`  servers stopped: ${JSON.stringify(exits)}`);
    }
}

// A C participant; ep.code is its exit status once it has exited.
function join(name, extra = []) {
    const ep = joinAs(S.servers, name, extra);
    S.eps.push(ep);
    return ep;
}

// The receivers of ep's subscribe connection that carry participant id.
function tracksFrom(st, id) {
    const t = (st.subscribe && st.subscribe.tracks) || [];
    return { video: t.find((x) => x.stream === id && x.kind === 'video'), audio: t.find((x) => x.stream === id && x.kind === 'audio') };
}

// ep decodes video (and hears audio) from participant id: frames rising
// between two polls, and with our pattern its frame numbers.
async function expectDecodes(ep, id, what, { numbers = true, audio = true, ms = 20000 } = {}) {
    let prev = -1;
    const r = await waitFor(
        async () => {
            const st = await ep.stats();
            const { video, audio: a } = tracksFrom(st, id);
            const frames = video ? video.frames_decoded : 0;
            const rising = prev >= 0 && frames > prev;
            prev = frames;
            const ok =
                rising && frames > 30 && video.width > 0 &&
                (!numbers || video.last_frame_number > 0) && (!audio || (a && a.audio_dbfs > -40));
            return { ok, video, audio: a, state: st.subscribe && st.subscribe.state };
        },
        ms,
        what
    );
    return r;
}

function describe(r) {
    const v = r.video;
    const a = r.audio ? `, audio ${r.audio.audio_dbfs.toFixed(1)} dBFS` : '';
    const n = v.last_frame_number !== undefined ? `, frame number ${v.last_frame_number}` : '';
    return `${v.frames_decoded} frames ${v.width}x${v.height} ${v.fps.toFixed(1)} fps${n}, lost ${v.packets_lost}, NACKs ${v.nacks_sent}${a}`;
}

async function twoEndpoints() {
    await servers();
    const t0 = Date.now();
    const a = join('Điểm cầu C / A', ['--subscribe', '--name-check']);
    const b = join('Điểm cầu C / B', ['--subscribe', '--name-check']);
    await expectEndpointJoined(a);
    await expectEndpointJoined(b);
    const ra = await expectDecodes(a, b.id, 'A decoding B');
    const rb = await expectDecodes(b, a.id, 'B decoding A');
    console.log(`  both decode each other ${Date.now() - t0} ms after start`);
    console.log(`  A <- B: ${describe(ra)}`);
    console.log(`  B <- A: ${describe(rb)}`);
    for (const ep of [a, b]) {
        const st = await ep.stats();
        assert(st.publish.state === 'connected' && st.subscribe.state === 'connected',
            `${ep.name}: publish ${st.publish.state}, subscribe ${st.subscribe.state}`);
        assert(st.participants.length === 1, `${ep.name} lists ${JSON.stringify(st.participants)}`);
        const v = st.publish.out.video;
        assert(v.frames_encoded > 30 && v.packets > 0, `${ep.name} publishes ${JSON.stringify(v)}`);
        const errors = ep.messages.filter((m) => m.type === 'error');
        assert(errors.length === 0, `${ep.name} errors: ${JSON.stringify(errors)}`);
    }
    S.servers.assertAlive();
}

async function chromiumPage() {
    await servers();
    const [a, b] = S.eps;
    assert(a && b && a.id && b.id, 'the two endpoints of the first case are not there');
    S.browser = await launch();
    const t0 = Date.now();
    const { page, errors, stats, s: s0 } = await joinPage(S.browser.context, S.servers, 'participant',
        'Trình duyệt / Chromium');
    const pid = s0.self.id;
    const prev = {};
    const r = await waitFor(
        async () => {
            const s = await stats();
            const figs = {};
            let ok = true;
            for (const ep of [a, b]) {
                const m = mediaFrom(s, ep.id);
                ok = ok && prev[ep.id] !== undefined && m.frames > prev[ep.id] && m.width === 640 && m.level > 0;
                prev[ep.id] = m.frames;
                figs[ep.name] = m;
            }
            return { ok, figs };
        },
        15000,
        'the page decoding both C endpoints'
    );
    console.log(`  the page decodes both endpoints ${Date.now() - t0} ms after loading`);
    for (const [n, m] of Object.entries(r.figs))
        console.log(`  page <- ${n}: ${m.frames} frames ${m.width}x${m.height}, audio level ${m.level.toFixed(3)}`);
    // The endpoints take the page's tracks in a new subscribe offer.
    for (const ep of [a, b]) {
        const x = await expectDecodes(ep, pid, `${ep.name} decoding the page`, { numbers: false, audio: false });
        console.log(`  ${ep.name} <- page: ${describe(x)}`);
        const y = await expectDecodes(ep, ep === a ? b.id : a.id, `${ep.name} still decoding the other endpoint`, { ms: 5000 });
        assert(y.video.last_frame_number > 0, 'frame numbers');
    }
    assert(errors.length === 0, `page errors: ${errors.join('; ')}`);
    S.page = { page, id: pid };
    S.servers.assertAlive();
}

async function leaveOnSigterm() {
    await servers();
    const [a, b] = S.eps;
    assert(a && b && a.id && b.id && S.page, 'the meeting of the cases before is not there');
    const t0 = Date.now();
    a.proc.kill('SIGTERM');
    const code = await a.exited;
    const tExit = Date.now() - t0;
    const closed = a.messages.find((m) => m.type === 'closed');
    assert(code === 0, `A exited with ${code}; last lines ${JSON.stringify(a.messages.slice(-3))}`);
    assert(closed, 'A printed no closed event');
    const last = a.messages.filter((m) => m.type === 'stats').pop();
    assert(last && last.publish.out.video.frames_encoded > 0, 'A printed no last stats');
    const left = await b.next((m) => m.type === 'participant_left' && m.id === a.id, 5000, 'participant_left of A at B');
    assert(left.reason === 'left', `participant_left reason ${left.reason}, want left`);
    await waitFor(
        async () => {
            const s = await S.page.page.evaluate(() => window.cau.stats());
            return { ok: !s.participants.some((p) => p.id === a.id), participants: s.participants };
        },
        5000,
        'A gone from the page'
    );
    // B's subscribe connection drops A's receivers and keeps the page's.
    await waitFor(
        async () => {
            const st = await b.stats();
            const t = tracksFrom(st, a.id);
            return { ok: !t.video && !t.audio, tracks: st.subscribe.tracks.map((x) => `${x.mid}:${x.kind}:${x.stream}`) };
        },
        5000,
        "A's tracks leaving B's subscribe connection"
    );
    await expectDecodes(b, S.page.id, 'B still decoding the page', { numbers: false, audio: false, ms: 5000 });
    console.log(`  A exited 0 in ${tExit} ms (${closed.reason}); B and the page saw it leave (${left.reason})`);
    S.servers.assertAlive();
}

async function badToken() {
    await servers();
    const ep = new Endpoint(['--join', S.servers.wsUrl, '--token', 'not-a-token']);
    S.eps.push(ep);
    const e = await ep.next((m) => m.type === 'error', 5000, 'an error');
    assert(e.code === 'bad_token', `error ${JSON.stringify(e)}`);
    const code = await Promise.race([ep.exited, new Promise((r) => setTimeout(() => r('timeout'), 5000))]);
    assert(code === 1, `exit ${code}, want 1`);
    const refused = new Endpoint(['--join', 'ws://127.0.0.1:1/ws', '--token', 'x']);
    S.eps.push(refused);
    const c = await refused.next((m) => m.type === 'closed', 5000, 'closed after a refused connection');
    const code2 = await refused.exited;
    assert(code2 === 1, `exit ${code2} after ${c.reason}, want 1`);
    console.log(`  bad token: ${e.code}, exit ${code}; no server: "${c.reason}", exit ${code2}`);
}

run([
    ['two C endpoints join through signaling and decode each other', twoEndpoints],
    ['a Chromium page decodes the C endpoints, and they decode it', chromiumPage],
    ['SIGTERM sends leave: the others see the endpoint go', leaveOnSigterm],
    ['a bad token or no server: an error and exit status 1', badToken],
    ['cleanup', cleanup],
]);
