// A commune's view of a big meeting: one C subscriber and twelve C
// publishers (small pictures, to spare the CPU) through the real bridge.
// The subscriber has 24 out streams at the sfu, more than one RTCP compound
// of sender reports holds: every one of them must be forwarded (the
// subscriber decodes every publisher) and must get its SR (the sfu's
// control-channel stats show an rtt_ms for each, measured from the
// subscriber's report blocks about that stream). Run by tests/run.sh;
// prints PASS/FAIL per case.
'use strict';

const { Control } = require('./lib/control');
const { Endpoint } = require('./lib/endpoint');
const { run, waitFor, assert } = require('./lib/runner');
const { Servers } = require('./lib/servers');

const PUBLISHERS = 12;
const SMALL = ['--size', '160x90', '--fps', '10', '--kbps', '100'];
const S = { servers: null, eps: [], ctl: null };

function join(name, extra) {
    const ep = new Endpoint(['--join', S.servers.wsUrl, '--token', S.servers.token('participant', name),
        ...SMALL, ...extra]);
    S.eps.push(ep);
    return ep;
}

async function joined(ep, what) {
    const m = await ep.next((x) => x.type === 'joined' || x.type === 'error' || x.type === 'closed', 10000, what);
    assert(m.type === 'joined', `${what}: ${JSON.stringify(m)}`);
    return m.self.id;
}

// The subscriber's out streams at the sfu (control-channel stats).
async function outStreams(id) {
    const rep = await S.ctl.request('stats');
    assert(rep.ok !== false && rep.rooms, `sfu stats: ${JSON.stringify(rep)}`);
    for (const room of rep.rooms)
        for (const p of room.participants)
            if (p.participant === id) return p.streams.filter((s) => s.direction === 'out');
    return [];
}

async function manyStreams() {
    S.servers = new Servers();
    await S.servers.start();
    S.ctl = await Control.connect(S.servers.config.sfu.control_socket);
    const pubIds = [];
    for (let i = 1; i <= PUBLISHERS; i++) pubIds.push(await joined(join(`Xã ${i}`, []), `publisher ${i} joined`));
    const sub = join('Phường trung tâm', ['--subscribe', '--send', 'none']);
    const subId = await joined(sub, 'the subscriber joined');
    await waitFor(
        async () => {
            const s = await sub.stats();
            const missing = pubIds.filter((id) => {
                const tracks = (s.subscribe && s.subscribe.tracks) || [];
                const r = tracks.find((x) => x.stream === id && x.kind === 'video');
                return !(r && r.frames_decoded > 5);
            });
            return { ok: missing.length === 0, missing: missing.length };
        },
        30000,
        `the subscriber decoding all ${PUBLISHERS} publishers`
    );
    const out = await waitFor(
        async () => {
            const streams = await outStreams(subId);
            const rtts = streams.map((s) => s.rtt_ms);
            const timed = rtts.filter((r) => typeof r === 'number' && r > 0).length;
            return { ok: streams.length === 2 * PUBLISHERS && timed === streams.length, rtts };
        },
        15000,
        `an SR-based rtt_ms on all ${2 * PUBLISHERS} out streams`
    );
    const { rtts } = out;
    assert(rtts.every((r) => r < 1000), `implausible RTTs on loopback: ${rtts.join(', ')}`);
    console.log(`  ${rtts.length} out streams, rtt_ms ${Math.min(...rtts).toFixed(3)}..` +
        `${Math.max(...rtts).toFixed(3)}`);
    S.servers.assertAlive();
}

async function cleanup() {
    for (const ep of S.eps) await ep.stop().catch(() => {});
    if (S.ctl) S.ctl.close();
    if (S.servers) console.log(`  servers stopped: ${JSON.stringify(await S.servers.stop())}`);
}

run([
    [`one subscriber, ${PUBLISHERS} publishers: every stream forwarded and timed by its SR`, manyStreams],
    ['cleanup', cleanup],
]);
