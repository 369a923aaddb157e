// Mixed meetings through the real bridge (build/bin/sfu and
// build/bin/signaling started by lib/servers.js):
//
// - "mixed": two Chromium pages (the web client from the signaling server,
//   read through window.cau.stats()) and three C endpoints
//   (build/bin/cau-endpoint --join ... --subscribe, read through their
//   stats lines) in one room; each of the five decodes video and audio
//   from the four others.
// - "loss": a C publisher whose uplink goes through build/bin/netem-relay
//   dropping 5 % of the datagrams, two C subscribers (observers). The
//   publisher runs with the test hook --hold-publish-candidates: it prints
//   the bridge's candidate from the publish answer instead of using it; we
//   aim the relay at that port and hand the publisher the relay's
//   candidate (the sfu is ICE-lite and answers checks from any address).
//   The subscribers' video keeps playing, the sfu NACKs the lost packets
//   and the publisher resends them.
//
// Run by tests/run.sh; prints PASS/FAIL per case.
'use strict';

const { spawn } = require('child_process');
const path = require('path');
const readline = require('readline');
const { launch } = require('./lib/chromium');
const { Control } = require('./lib/control');
const { joinAs, expectEndpointJoined } = require('./lib/endpoint');
const { joinPage, mediaFrom } = require('./lib/meeting');
const { run, waitFor, assert } = require('./lib/runner');
const { Servers, TOP, httpGet } = require('./lib/servers');

const RELAY = path.join(TOP, 'build', 'bin', 'netem-relay');

const S = { servers: [], browser: null, eps: [], relays: [], controls: [] };

async function startServers() {
    const s = new Servers();
    S.servers.push(s);
    await s.start();
    return s;
}

async function cleanup() {
    for (const ep of S.eps) if (ep.code === undefined) await ep.stop().catch(() => {});
    for (const r of S.relays) await r.stop().catch(() => {});
    for (const c of S.controls) c.close();
    if (S.browser) await S.browser.close().catch(() => {});
    for (const s of S.servers) console.log(`  servers stopped: ${JSON.stringify(await s.stop())}`);
}

// A C participant of srv's room; ep.code is its exit status once it exited.
function join(srv, name, extra = [], role = 'participant') {
    const ep = joinAs(srv, name, extra, role);
    S.eps.push(ep);
    return ep;
}

// What receiver r decodes from participant id, in one shape for pages and
// C endpoints: video frames and width, audio frames (C) and level.
function pageFigures(s, id) {
    const m = mediaFrom(s, id);
    return {
        frames: m.frames,
        width: m.width,
        height: m.height,
        audio: m.audioPackets,
        heard: m.level > 0,
        level: m.level.toFixed(3),
    };
}

function epFigures(st, id) {
    const t = (st.subscribe && st.subscribe.tracks) || [];
    const v = t.find((x) => x.stream === id && x.kind === 'video');
    const a = t.find((x) => x.stream === id && x.kind === 'audio');
    return {
        frames: v ? v.frames_decoded : 0,
        width: v ? v.width : 0,
        height: v ? v.height : 0,
        audio: a ? a.frames_decoded : 0,
        heard: !!a && a.audio_dbfs > -127,
        level: a ? `${a.audio_dbfs.toFixed(1)} dBFS` : '-',
        number: v && v.last_frame_number,
    };
}

// Each receiver decodes video from each sender (at least 10 frames, more
// than a second ago, width > 0) and audio (a level above silence seen once;
// for the C endpoints audio frames rising too, over the same second). The
// second, rather than the time between two polls, because on a loaded
// machine a receiver's decoding comes in bursts. Returns the last figures
// per pair.
async function expectEveryoneDecodes(receivers, senders, ms, t0) {
    const history = new Map(); // key -> [{t, frames, audio}], oldest first
    const heard = new Set();
    const since = new Map(); // key -> ms after t0 the pair was first complete
    // The latest sample of key at least a second old (older ones dropped).
    const secondAgo = (key, now) => {
        const h = history.get(key) || [];
        while (h.length > 1 && h[1].t <= now - 1000) h.shift();
        history.set(key, h);
        return h.length && h[0].t <= now - 1000 ? h[0] : null;
    };
    return waitFor(
        async () => {
            const snaps = await Promise.all(receivers.map((r) => r.figures()));
            const now = Date.now();
            const missing = [];
            const figures = {};
            receivers.forEach((r, i) => {
                for (const q of senders) {
                    if (q === r) continue;
                    const key = `${r.name} <- ${q.name}`;
                    const m = snaps[i](q.id);
                    const p = secondAgo(key, now);
                    history.get(key).push({ t: now, frames: m.frames, audio: m.audio });
                    figures[key] = m;
                    if (m.heard) heard.add(key);
                    const n = missing.length;
                    if (!p || m.frames <= p.frames || m.frames < 10 || m.width <= 0)
                        missing.push(`${key}: video ${m.frames} frames ${m.width}px`);
                    if (!heard.has(key) || (r.ep && (!p || m.audio <= p.audio)))
                        missing.push(`${key}: audio ${m.audio}, ${m.level}`);
                    if (missing.length === n && !since.has(key)) since.set(key, Date.now() - t0);
                    m.since = since.get(key);
                }
            });
            return { ok: missing.length === 0, missing, figures };
        },
        ms,
        'everyone decoding everyone'
    );
}

async function openPage(srv, name) {
    const { errors, stats, s } = await joinPage(S.browser.context, srv, 'participant', name);
    return {
        name,
        id: s.self.id,
        errors,
        figures: async () => {
            const x = await stats();
            return (id) => pageFigures(x, id);
        },
    };
}

async function mixed() {
    const srv = await startServers();
    S.browser = await launch();
    const t0 = Date.now();
    const names = ['Điểm cầu C / Hà Giang', 'Điểm cầu C / Cà Mau', 'Điểm cầu C / Huế'];
    // A small picture for the C endpoints: five participants each encoding
    // one stream and decoding four oversubscribe 2 cores at the defaults
    // (640x360 at 30 fps), and a starved endpoint sends less (its timers
    // fall behind), which is not what this case is about.
    const media = ['--size', '320x180', '--fps', '15', '--kbps', '300'];
    const eps = names.map((n) => join(srv, n, ['--subscribe', '--name-check', ...media]));
    const pages = await Promise.all([openPage(srv, 'Trình duyệt / Một'), openPage(srv, 'Trình duyệt / Hai')]);
    for (const ep of eps) await expectEndpointJoined(ep);
    const tJoined = Date.now() - t0;
    const cs = eps.map((ep) => ({
        name: ep.name,
        id: ep.id,
        ep,
        figures: async () => {
            const st = await ep.stats();
            return (id) => epFigures(st, id);
        },
    }));
    const all = [...cs, ...pages];
    const left = Math.max(0, 20000 - (Date.now() - t0));
    const r = await expectEveryoneDecodes(all, all, left, t0);
    console.log(`  all joined ${tJoined} ms after start; all decode each other after ${Date.now() - t0} ms`);
    for (const [key, m] of Object.entries(r.figures)) {
        const n = m.number !== undefined ? `, frame number ${m.number}` : '';
        console.log(`  ${key}: ${m.frames} frames ${m.width}x${m.height}${n}, audio ${m.audio}, ${m.level}` +
            ` (from ${m.since} ms)`);
    }
    for (const ep of eps) {
        const errors = ep.messages.filter((m) => m.type === 'error');
        assert(errors.length === 0, `${ep.name} errors: ${JSON.stringify(errors)}`);
    }
    const errs = pages.flatMap((p) => p.errors.map((e) => `${p.name}: ${e}`));
    assert(errs.length === 0, `page errors: ${errs.join('; ')}`);
    srv.assertAlive();
    // Done with this meeting: free the CPU for the next case.
    for (const ep of eps) await ep.stop();
    await S.browser.close();
    S.browser = null;
    S.servers = S.servers.filter((x) => x !== srv);
    console.log(`  servers stopped: ${JSON.stringify(await srv.stop())}`);
}

// build/bin/netem-relay in front of 127.0.0.1:toPort; resolves once it
// listens. stop() ends it with SIGTERM and gives its counters per direction.
const num = (x, i) => (i ? Number(x) : x);

function startRelay(toPort, args) {
    const proc = spawn(RELAY, ['--listen', '127.0.0.1:0', '--to', `127.0.0.1:${toPort}`, ...args], {
        stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines = [];
    const exited = new Promise((resolve) => proc.on('exit', (code) => resolve(code)));
    const relay = {
        proc,
        lines,
        async stop() {
            if (relay.code === undefined) proc.kill('SIGTERM');
            relay.code = await exited;
            const counters = {};
            for (const l of lines) {
                const m = /^netem-relay: (up|down) (.*)$/.exec(l);
                if (m) counters[m[1]] = Object.fromEntries(m[2].split(' ').map((kv) => kv.split('=').map(num)));
            }
            return counters;
        },
    };
    S.relays.push(relay);
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`netem-relay did not listen: ${lines.join('; ')}`)), 5000);
        exited.then((code) => reject(new Error(`netem-relay exited ${code}: ${lines.join('; ')}`)));
        readline.createInterface({ input: proc.stdout }).on('line', (line) => {
            lines.push(line);
            const m = /^netem-relay: listening 127\.0\.0\.1:(\d+)$/.exec(line);
            if (m) {
                clearTimeout(timer);
                relay.port = Number(m[1]);
                resolve(relay);
            }
        });
    });
}

async function metricNacks(srv) {
    const r = await httpGet(`${srv.url}/metrics`, 3000);
    const m = /^cau_nacks_total (\d+)$/m.exec(r.body);
    assert(r.status === 200 && m, `/metrics: ${r.status} ${r.body.slice(0, 200)}`);
    return Number(m[1]);
}

// The sfu's streams of participant id (control-channel stats, read-only).
async function sfuStreams(ctl, id) {
    const rep = await Promise.race([
        ctl.request('stats'),
        new Promise((resolve) => setTimeout(() => resolve({ ok: false, error: 'no reply in 5 s' }), 5000)),
    ]);
    assert(rep.ok !== false && rep.rooms, `sfu stats: ${JSON.stringify(rep)}`);
    for (const room of rep.rooms) for (const p of room.participants) if (p.participant === id) return p.streams;
    return [];
}

// The publisher's port at the bridge: the held candidate of its answer.
async function heldPort(ep) {
    const h = await ep.next(
        (m) => (m.type === 'held_candidate' && / udp /i.test(m.candidate)) || m.type === 'error',
        10000,
        `${ep.name}: a held publish candidate`
    );
    assert(h.type === 'held_candidate', `${ep.name}: ${JSON.stringify(h)}`);
    const f = h.candidate.split(' ');
    assert(f[4] === '127.0.0.1' && Number(f[5]) > 0, `held candidate ${h.candidate}`);
    return Number(f[5]);
}

// Video of the publisher at one subscriber, sampled: frames, frame number
// and freezes. A freeze is a run of samples (at least 100 ms after the one
// before) with no new frame; it lasts from the last sample with new frames
// to the next one, so a freeze shorter than the sampling period may go
// unseen and a seen one is measured long.
function videoTracker(ep, pubId) {
    const t = { ep, first: null, last: null, at: 0, progressAt: 0, stalled: false, longest: 0, gaps: 0 };
    t.sample = async () => {
        const st = await ep.stats();
        const tracks = (st.subscribe && st.subscribe.tracks) || [];
        const v = tracks.find((x) => x.stream === pubId && x.kind === 'video');
        const now = Date.now();
        if (!v || v.frames_decoded === 0) return;
        if (!t.last || v.frames_decoded > t.last.frames_decoded) {
            if (t.stalled) t.freeze(now);
            t.progressAt = now;
        } else if (now - t.at >= 100) {
            t.stalled = true;
        }
        t.first = t.first || v;
        t.last = v;
        t.at = now;
    };
    t.freeze = (now) => {
        t.longest = Math.max(t.longest, now - t.progressAt);
        if (now - t.progressAt > 500) t.gaps++;
        t.stalled = false;
    };
    // A new window from the last sample on.
    t.restart = () => Object.assign(t, { first: t.last, longest: 0, gaps: 0, stalled: false });
    // The end of the window: a freeze still going on counts.
    t.end = () => t.stalled && t.freeze(t.at);
    t.frames = () => (t.first ? t.last.frames_decoded - t.first.frames_decoded : 0);
    t.numbers = () => (t.first ? t.last.last_frame_number - t.first.last_frame_number : 0);
    return t;
}

async function loss() {
    const srv = await startServers();
    const ctl = await Control.connect(srv.config.sfu.control_socket);
    S.controls.push(ctl);
    const pub = join(srv, 'Phát qua relay', ['--hold-publish-candidates']);
    await expectEndpointJoined(pub);
    const sfuPort = await heldPort(pub);
    const relay = await startRelay(sfuPort, ['--up-loss', '0.05', '--seed', '7']);
    const cand = `candidate:1 1 udp 2130706431 127.0.0.1 ${relay.port} typ host`;
    pub.send({ type: 'candidate', pc: 'publish', candidate: cand });
    pub.send({ type: 'candidate', pc: 'publish', candidate: '' });
    const st = await pub.next((m) => m.type === 'state' && m.pc === 'publish' && m.state !== 'connecting', 10000,
        'the publish connection through the relay');
    assert(st.state === 'connected', `publish: ${JSON.stringify(st)}`);
    const subs = [join(srv, 'Xem 1', ['--subscribe'], 'observer'), join(srv, 'Xem 2', ['--subscribe'], 'observer')];
    for (const s of subs) await expectEndpointJoined(s);
    const tracks = subs.map((s) => videoTracker(s, pub.id));
    // Playing at both: frames rising; then a window of at least 150 more
    // frames each with the NACK loop seen working.
    await waitFor(
        async () => {
            for (const t of tracks) await t.sample();
            return { ok: tracks.every((t) => t.frames() > 0), frames: tracks.map((t) => t.last && t.last.frames_decoded) };
        },
        15000,
        'both subscribers decoding the publisher'
    );
    for (const t of tracks) t.restart();
    const out0 = (await pub.stats()).publish.out.video;
    const r = await waitFor(
        async () => {
            for (const t of tracks) await t.sample();
            const out = (await pub.stats()).publish.out.video;
            const nacks = await metricNacks(srv);
            const ok =
                tracks.every((t) => t.frames() >= 150) && out.nacks_received > 0 && out.retransmitted > 0 && nacks > 0;
            return { ok, out, nacks, frames: tracks.map((t) => t.frames()) };
        },
        20000,
        'a window of 150 frames at both subscribers with NACKs answered'
    );
    for (const t of tracks) t.end();
    const streams = await sfuStreams(ctl, pub.id);
    const vin = streams.find((s) => s.kind === 'video' && s.direction === 'in') || {};
    const counters = await relay.stop();
    const up = counters.up || {};
    const encoded = r.out.frames_encoded - out0.frames_encoded;
    const down = counters.down || {};
    const o = r.out;
    console.log(`  relay up: ${up.in} in, ${up.out} out, ${up.dropped_loss} dropped; ` +
        `down: ${down.in} in, ${down.dropped_loss} dropped`);
    console.log(`  sfu <- publisher video: ${vin.packets} packets, lost ${vin.lost}, NACKs sent ${vin.nacks}, ` +
        `PLIs ${vin.plis}; /metrics cau_nacks_total ${r.nacks}`);
    console.log(`  publisher video: ${o.packets} packets, ${o.frames_encoded} frames, NACKs received ${o.nacks_received}, ` +
        `retransmitted ${o.retransmitted}, PLIs ${o.plis_received}, key frames ${o.key_frames}`);
    for (const t of tracks) {
        const v = t.last;
        console.log(`  ${t.ep.name} <- publisher: ${t.frames()} frames in the window (${encoded} encoded), ` +
            `frame number ${t.first.last_frame_number} -> ${v.last_frame_number}, longest freeze ${t.longest} ms, ` +
            `${t.gaps} freezes > 500 ms; lost ${v.packets_lost}, NACKs ${v.nacks_sent}, recovered ${v.nack_recovered}, ` +
            `dropped ${v.frames_dropped}, PLIs ${v.plis_sent}, key frames ${v.key_frames}`);
    }
    assert(up.dropped_loss > 0, `relay counters ${JSON.stringify(counters)}`);
    // Everything the publisher sent crossed the relay (which also carried
    // its audio, RTCP and checks).
    assert(up.in >= o.packets && down.in > 0, `relay ${JSON.stringify(counters)}, publisher sent ${o.packets}`);
    assert(vin.nacks > 0, `the sfu sent no NACK for the publisher's video: ${JSON.stringify(vin)}`);
    assert(r.out.nacks_received > 0 && r.out.retransmitted > 0, `publisher ${JSON.stringify(r.out)}`);
    for (const t of tracks) {
        const numbers = `${t.first.last_frame_number} -> ${t.last.last_frame_number}`;
        assert(t.numbers() >= t.frames() * 0.9, `${t.ep.name}: frame numbers ${numbers} for ${t.frames()} frames`);
        assert(t.frames() * 10 >= encoded * 8, `${t.ep.name}: ${t.frames()} frames decoded of ${encoded} encoded`);
        assert(t.longest < 1500 && t.gaps <= 2, `${t.ep.name}: longest freeze ${t.longest} ms, ${t.gaps} freezes over 500 ms`);
    }
    for (const ep of [pub, ...subs]) {
        const errors = ep.messages.filter((m) => m.type === 'error');
        assert(errors.length === 0, `${ep.name} errors: ${JSON.stringify(errors)}`);
    }
    srv.assertAlive();
}

run([
    ['mixed: two pages and three C endpoints all decode each other', mixed],
    ['loss: 5 % uplink loss through netem-relay, NACKs repair it, video keeps playing', loss],
    ['cleanup', cleanup],
]);
