// The bridge's DTLS server against a browser's timing: Chromium starts DTLS
// as soon as one of its connectivity checks is answered, before it
// nominates a pair, and the bridge (ICE-lite) has no pair to send on until
// the nomination. The bridge's first flight must then wait for the
// nomination and go out with it, not be lost and wait for OpenSSL's
// retransmission timer (500 ms; it cost a late joiner half a second per
// peer connection). A raw ICE peer (lib/ice_peer.js) replays Chromium's
// ClientHello (fixtures/chromium_client_hello.hex) after an unnominated
// check, before it answers the bridge's own check and nominates; the first DTLS record it gets back must be
// the ServerHello with record sequence number 0: the original flight, not
// a retransmission (which DTLS sends with new sequence numbers, RFC 6347
// 4.1). Run by tests/run.sh; prints PASS/FAIL per case.
'use strict';

const { IcePeer, CLIENT_HELLO } = require('./lib/ice_peer');
const { run, waitFor, assert } = require('./lib/runner');
const { Servers } = require('./lib/servers');
const { WsClient } = require('./lib/wsclient');
const { icePublish } = require('./lib/meeting');

const S = { servers: null };

const isDtls = (m) => m.length >= 13 && m[0] >= 20 && m[0] <= 63;

// The DTLS record header (RFC 6347 4.1): type, epoch, 48-bit sequence
// number, and the handshake type of a handshake record.
function record(m) {
    return { type: m[0], epoch: m.readUInt16BE(3), seq: m.readUIntBE(5, 6), hs: m.length > 13 ? m[13] : null };
}

async function helloBeforeNomination() {
    S.servers = new Servers();
    await S.servers.start();
    const c = new WsClient(S.servers.wsUrl);
    await c.open();
    const peer = await IcePeer.open();
    try {
        const tok = S.servers.token('participant', 'Kiểm thử / DTLS trước đề cử');
        const { port, ufrag, pwd } = await icePublish(c, peer, tok, false);
        // The bridge has answered our check and takes our datagrams, but
        // its own triggered check is not answered yet: its ICE is still
        // checking. In order on one socket, the sfu reads the ClientHello
        // before the answer to its check and the nominating check.
        for (const d of CLIENT_HELLO) await peer.send(d, port);
        peer.answer = true;
        const t0 = Date.now();
        await peer.connect(port, ufrag, pwd, 5000, true);
        const first = await waitFor(() => peer.replies.find(isDtls), 5000, 'a DTLS datagram from the bridge');
        const r = record(first);
        const all = peer.replies.filter(isDtls).map((m) => record(m).seq);
        console.log(`  first DTLS from the bridge ${Date.now() - t0} ms after the nominating check was sent: ` +
            `type ${r.type}, epoch ${r.epoch}, sequence ${r.seq}, handshake type ${r.hs}; sequences so far ${all.join(' ')}`);
        assert(r.type === 22 && r.hs === 2, `the first DTLS record is not a ServerHello: ${JSON.stringify(r)}`);
        assert(r.epoch === 0 && r.seq === 0,
            `the first ServerHello has record sequence ${r.seq}: the original flight was lost and this is a retransmission`);
    } finally {
        peer.close();
        c.close();
    }
}

// The sfu stopped (SIGTERM) while participants' transports are in the
// middle of a DTLS handshake: freeing the rooms ends them on the workers,
// and the sfu exits 0. (A reply still on its way from a worker at the stop
// once crashed it; tests/unit/sfu/test_sfu.c makes that case exactly.)
async function stopWithParticipant() {
    assert(S.servers, 'the servers of the first case are not there');
    const clients = [];
    const peers = [];
    try {
        for (let i = 0; i < 2; i++) {
            const c = new WsClient(S.servers.wsUrl);
            clients.push(c);
            await c.open();
            const peer = await IcePeer.open({ answer: true });
            peers.push(peer);
            const { port } = await icePublish(c, peer, S.servers.token('participant', `Kiểm thử / dừng ${i}`));
            for (const d of CLIENT_HELLO) await peer.send(d, port);
            await waitFor(() => peer.replies.some(isDtls), 5000, 'the bridge in the middle of a handshake');
        }
        S.servers.procs.sfu.kill('SIGTERM');
        await waitFor(() => S.servers.exits.sfu, 5000, 'the sfu exiting on SIGTERM');
        console.log(`  sfu stopped with 2 participants mid-handshake: ${S.servers.exits.sfu}`);
        assert(S.servers.exits.sfu === 'status 0', `the sfu ended with ${S.servers.exits.sfu}, want status 0`);
    } finally {
        for (const p of peers) p.close();
        for (const c of clients) c.close();
    }
}

async function cleanup() {
    if (!S.servers) return;
    const exits = await S.servers.stop();
    console.log(`  servers stopped: ${JSON.stringify(exits)}`);
    for (const [name, how] of Object.entries(exits)) assert(how === 'status 0', `${name} ended with ${how}`);
}

run([
    ['a ClientHello before the nomination draws the first flight once the pair is nominated', helloBeforeNomination],
    ['the sfu stopped with participants mid-handshake exits 0', stopWithParticipant],
    ['cleanup', cleanup],
]);
