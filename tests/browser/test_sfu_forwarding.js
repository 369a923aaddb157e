// The sfu alone, driven over its control channel the way signaling drives
// it, with C endpoints (build/bin/cau-endpoint) as participants: one
// publishes its test pattern and tone, others subscribe through the bridge
// and must decode them — our own frame numbers arriving prove the pictures
// crossed the bridge. No browser here; it runs with the browser tests
// because it uses the same node harness. Then the control channel over TCP
// (sfu.control_tcp): the hello and its refusals against the real sfu, and
// a meeting whose signaling reaches the sfu over TCP.
'use strict';

const { spawn } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { Control } = require('./lib/control');
const { Endpoint, joinAs, expectEndpointJoined } = require('./lib/endpoint');
const { run, waitFor, assert } = require('./lib/runner');
const { Servers, freeTcpPort } = require('./lib/servers');

const TOP = path.resolve(__dirname, '..', '..');

// extra: more keys of the config's sfu section.
async function startSfu(extra = {}) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cau-sfu-'));
    const cfg = JSON.parse(fs.readFileSync(path.join(TOP, 'configs', 'default.json'), 'utf8'));
    const base = 45000 + 100 * Math.floor(Math.random() * 50);
    cfg.sfu = { ...cfg.sfu, control_socket: path.join(dir, 'sfu.sock'), port_min: base, port_max: base + 99, ...extra };
    const file = path.join(dir, 'config.json');
    fs.writeFileSync(file, JSON.stringify(cfg));
    const log = fs.openSync(path.join(dir, 'sfu.log'), 'a');
    const proc = spawn(path.join(TOP, 'build', 'bin', 'sfu'), ['--config', file], {
        cwd: TOP,
        stdio: ['ignore', log, log],
    });
    fs.closeSync(log);
    let exited = null;
    proc.on('exit', (code, sig) => (exited = sig || code));
    await waitFor(() => fs.existsSync(cfg.sfu.control_socket) || exited !== null, 10000, 'sfu control socket');
    assert(exited === null, `sfu exited: ${exited}\n${fs.readFileSync(path.join(dir, 'sfu.log'), 'utf8')}`);
    const ctl = await Control.connect(cfg.sfu.control_socket);
    return {
        ctl,
        log: () => fs.readFileSync(path.join(dir, 'sfu.log'), 'utf8'),
        async stop() {
            ctl.close();
            proc.kill('SIGTERM');
            await waitFor(() => exited !== null, 10000, 'sfu exit on SIGTERM');
            const out = fs.readFileSync(path.join(dir, 'sfu.log'), 'utf8');
            fs.rmSync(dir, { recursive: true, force: true });
            return { exited, log: out };
        },
    };
}

// Candidates both ways between an endpoint and one of the sfu's transports.
function wireCandidates(ctl, ep, participant, pc) {
    ep.onMessage = (m) => {
        if (m.type === 'candidate') ctl.request('candidate', { participant, pc, candidate: m.candidate });
    };
    ctl.onEvent((e) => {
        if (e.event === 'candidate' && e.participant === participant && e.pc === pc)
            ep.send({ type: 'candidate', candidate: e.candidate });
    });
}

async function publisher(ctl, id) {
    await ctl.request('participant_add', { room: 'demo', participant: id, name: id, role: 'participant' });
    const ep = new Endpoint(['--offer', '--send', 'audio,video', '--recv', 'none']);
    wireCandidates(ctl, ep, id, 'publish');
    const offer = await ep.next((m) => m.type === 'offer', 5000, 'offer');
    const r = await ctl.request('publish', { participant: id, sdp: offer.sdp });
    assert(r.ok, `publish refused: ${JSON.stringify(r.error)}`);
    ep.send({ type: 'answer', sdp: r.sdp });
    return ep;
}

async function subscriber(ctl, id) {
    await ctl.request('participant_add', { room: 'demo', participant: id, name: id, role: 'participant' });
    const ep = new Endpoint(['--send', 'none', '--recv', 'audio,video']);
    wireCandidates(ctl, ep, id, 'subscribe');
    let answered = false;
    ctl.onEvent(async (e) => {
        if (e.event !== 'subscribe_offer' || e.participant !== id || answered) return;
        answered = true; // the C endpoint takes one offer: its tracks are fixed
        ep.send({ type: 'offer', sdp: e.sdp });
        const a = await ep.next((m) => m.type === 'answer' || m.type === 'error', 5000, 'answer');
        if (a.type !== 'answer') return console.log(`  ${id}: endpoint refused the offer: ${a.message}`);
        const r = await ctl.request('subscribe_answer', { participant: id, sdp: a.sdp });
        if (!r.ok) console.log(`  ${id}: subscribe_answer refused: ${r.error.message}`);
    });
    const r = await ctl.request('subscribe', { participant: id });
    assert(r.ok, `subscribe refused: ${JSON.stringify(r.error)}`);
    return ep;
}

async function decodes(ep, what) {
    const s = await waitFor(
        async () => {
            const st = await ep.stats();
            const v = st.in.video;
            return { ok: v.frames_decoded > 30 && v.last_frame_number > 0 && st.in.audio.audio_dbfs > -40, st };
        },
        20000,
        what
    );
    return s.st;
}

const cases = [
    [
        'one C publisher, two C subscribers through the sfu',
        async () => {
            const sfu = await startSfu();
            const eps = [];
            try {
                await sfu.ctl.request('room_open', { room: 'demo' });
                eps.push(await publisher(sfu.ctl, 'pub'));
                eps.push(await subscriber(sfu.ctl, 'sub1'));
                eps.push(await subscriber(sfu.ctl, 'sub2'));
                for (const [i, ep] of eps.slice(1).entries()) {
                    const st = await decodes(ep, `subscriber ${i + 1} decoding the publisher`);
                    const v = st.in.video;
                    assert(v.width === 640 && v.height === 360, `size ${v.width}x${v.height}`);
                    console.log(
                        `  sub${i + 1}: ${v.frames_decoded} frames ${v.width}x${v.height}, frame number ` +
                            `${v.last_frame_number}, audio ${st.in.audio.audio_dbfs.toFixed(1)} dBFS, ` +
                            `lost ${v.packets_lost}, profile ${st.srtp_profile}`
                    );
                }
                const stats = await waitFor(
                    async () => {
                        const r = await sfu.ctl.request('stats');
                        const room = (r.rooms || []).find((x) => x.room === 'demo');
                        const n = room ? room.participants.reduce((a, p) => a + p.streams.length, 0) : 0;
                        return { ok: n >= 6, room };
                    },
                    5000,
                    'stats listing 2 inbound + 4 outbound streams'
                );
                const out = stats.room.participants.flatMap((p) => p.streams).filter((s) => s.direction === 'out');
                assert(out.every((s) => s.packets > 0), `an outbound stream sent nothing: ${JSON.stringify(out)}`);
                // RTT from the subscribers' report blocks answering the sfu's SRs.
                const rtt = await waitFor(
                    async () => {
                        const r = await sfu.ctl.request('stats');
                        const room = (r.rooms || []).find((x) => x.room === 'demo');
                        const streams = room ? room.participants.flatMap((p) => p.streams) : [];
                        const o = streams.filter((s) => s.direction === 'out');
                        return { ok: o.length >= 4 && o.every((s) => s.rtt_ms > 0), streams };
                    },
                    10000,
                    'rtt_ms on every outbound stream'
                );
                for (const s of rtt.streams)
                    console.log(`  ${s.direction} ${s.kind} ssrc ${s.ssrc}: rtt_ms ${s.rtt_ms}`);
                const rttOut = rtt.streams.filter((s) => s.direction === 'out');
                assert(rttOut.every((s) => s.rtt_ms < 1000), `loopback RTT over 1 s: ${JSON.stringify(rttOut)}`);
                // The publisher subscribes to nothing: its RTT is unknown, not made up.
                const rttIn = rtt.streams.filter((s) => s.direction === 'in');
                assert(rttIn.length === 2 && rttIn.every((s) => s.rtt_ms === null), JSON.stringify(rttIn));
                const r = await sfu.ctl.request('participant_remove', { participant: 'pub' });
                assert(r.ok, 'participant_remove');
                const bad = await sfu.ctl.request('publish', { participant: 'nobody', sdp: 'v=0' });
                assert(!bad.ok && bad.error.code === 'no_such_participant', JSON.stringify(bad));
            } finally {
                for (const ep of eps) await ep.stop();
                const end = await sfu.stop();
                assert(end.exited === 0, `sfu ended with ${end.exited}\n${end.log}`);
            }
        },
    ],
    [
        'malformed control lines get bad_request and the sfu lives on',
        async () => {
            const sfu = await startSfu();
            try {
                const raw = sfu.ctl.sock;
                const replies = [];
                // id 0: a line without a readable id. Handlers are set first.
                for (const id of [0, 5, 6, 7]) sfu.ctl.pending.set(id, (m) => replies.push(m));
                raw.write('not json\n{"id":5}\n{"id":6,"op":"publish"}\n{"id":7,"op":"fly"}\n');
                await waitFor(() => replies.length >= 4, 5000, 'four bad_request replies');
                assert(replies.every((m) => !m.ok && m.error.code === 'bad_request'), JSON.stringify(replies));
                const ok = await sfu.ctl.request('room_open', { room: 'x' });
                assert(ok.ok, 'room_open after garbage');
            } finally {
                const end = await sfu.stop();
                assert(end.exited === 0, `sfu ended with ${end.exited}`);
            }
        },
    ],
    [
        'TCP control: no hello, a request first, a wrong secret: unauthorized and closed; the right secret works',
        async () => {
            const port = await freeTcpPort();
            const secret = crypto.randomBytes(24).toString('hex');
            const sfu = await startSfu({ control_tcp: `127.0.0.1:${port}`, control_secret: secret });
            const conns = [];
            const open = async () => {
                const c = await Control.connectTcp(port);
                conns.push(c);
                return c;
            };
            // The sfu's one line to a refused client, and the connection closed.
            const refused = async (c, what, ms = 5000) => {
                await waitFor(() => c.closed, ms, `${what}: the sfu closing the connection`);
                const u = c.unmatched;
                assert(
                    u.length === 1 && u[0].id === 0 && u[0].ok === false && u[0].error.code === 'unauthorized',
                    `${what}: ${JSON.stringify(u)}`
                );
                return u[0].error.message;
            };
            try {
                const t0 = Date.now();
                const silent = await open(); // says nothing: closed after 5 s
                const early = await open();
                early.request('room_open', { room: 'sneaky' }); // answered by no id: not awaited
                const m1 = await refused(early, 'a request before the hello');
                const wrong = await open();
                const w = await wrong.hello(secret.slice(0, -1) + (secret.endsWith('0') ? '1' : '0'));
                assert(!w.ok && w.id === 0 && w.error.code === 'unauthorized', `wrong secret: ${JSON.stringify(w)}`);
                await waitFor(() => wrong.closed, 5000, 'the sfu closing the wrong secret connection');
                const m3 = await refused(silent, 'no hello', 9000);
                const silentMs = Date.now() - t0;
                assert(silentMs >= 4500, `the silent client was closed after ${silentMs} ms, want 5 s`);
                console.log(`  refused: "${m1}", "${w.error.message}", "${m3}" (after ${silentMs} ms)`);
                const good = await open();
                const h = await good.hello(secret);
                assert(h.ok === true && h.id === 0, `hello: ${JSON.stringify(h)}`);
                const r = await good.request('room_open', { room: 'demo' });
                assert(r.ok, `room_open over TCP: ${JSON.stringify(r)}`);
                // The refused request was not acted on.
                const sneaky = await good.request('room_close', { room: 'sneaky' });
                assert(!sneaky.ok && sneaky.error.code === 'no_such_room', JSON.stringify(sneaky));
                const st = await good.request('stats');
                assert(st.control && st.control.unauthorized === 3, `stats.control ${JSON.stringify(st.control)}`);
                // The Unix socket needs no hello; both see the same rooms.
                const u = await sfu.ctl.request('room_close', { room: 'demo' });
                assert(u.ok, `room_close over the Unix socket: ${JSON.stringify(u)}`);
                assert(!good.closed, 'the authorized TCP connection was closed');
                const log = sfu.log();
                assert((log.match(/ refused: /g) || []).length === 3, `sfu log:\n${log}`);
            } finally {
                for (const c of conns) c.close();
                const end = await sfu.stop();
                assert(end.exited === 0, `sfu ended with ${end.exited}\n${end.log}`);
            }
        },
    ],
    [
        'signaling reaches the sfu over TCP: a C endpoint joins and publishes',
        async () => {
            const srv = new Servers({ controlTcp: true });
            let ep = null;
            let ctl = null;
            try {
                await srv.start();
                const slog = () => fs.readFileSync(path.join(srv.dir, 'signaling.log'), 'utf8');
                const up = `sfu link up (tcp 127.0.0.1:${srv.controlPort})`;
                await waitFor(() => slog().includes(up), 5000, `"${up}" in the signaling log`);
                ep = joinAs(srv, 'Điểm cầu TCP');
                await expectEndpointJoined(ep);
                const p = await waitFor(
                    async () => {
                        const st = await ep.stats();
                        const v = st.publish && st.publish.out && st.publish.out.video;
                        return { ok: st.publish.state === 'connected' && v && v.packets > 50, publish: st.publish };
                    },
                    15000,
                    'the endpoint publishing'
                );
                // The sfu receives it (asked over TCP, with the hello).
                ctl = await Control.connectTcp(srv.controlPort);
                const h = await ctl.hello(srv.controlSecret);
                assert(h.ok, `hello: ${JSON.stringify(h)}`);
                const s = await waitFor(
                    async () => {
                        const r = await ctl.request('stats');
                        const room = (r.rooms || []).find((x) => x.room === 'demo');
                        const me = room && room.participants.find((x) => x.participant === ep.id);
                        const vin = me && me.streams.find((x) => x.direction === 'in' && x.kind === 'video');
                        return { ok: !!vin && vin.packets > 50, me };
                    },
                    10000,
                    "the sfu's stats showing the endpoint's video"
                );
                console.log(
                    `  publish ${p.publish.state}, ${p.publish.out.video.packets} video packets sent; ` +
                        `the sfu got ${s.me.streams.map((x) => `${x.kind} ${x.packets}`).join(', ')}`
                );
                assert(!/refused/.test(slog()), `signaling log:\n${slog()}`);
                srv.assertAlive();
            } finally {
                if (ctl) ctl.close();
                if (ep && ep.code === undefined) await ep.stop().catch(() => {});
                const exits = await srv.stop();
                assert(exits.sfu === 'status 0' && exits.signaling === 'status 0', JSON.stringify(exits));
            }
        },
    ],
];

run(cases);
