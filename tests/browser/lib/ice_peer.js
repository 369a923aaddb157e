// A bare ICE peer for tests that send the sfu what no browser would: a UDP
// socket on loopback that passes one of the sfu's ICE-lite transports'
// connectivity check (a STUN Binding request with USE-CANDIDATE and the
// short-term credentials of RFC 8445 §7.2.2, integrity and fingerprint of
// RFC 5389 §15.4-15.5). From then on its datagrams reach the sfu's RFC 7983
// demultiplexer; before, ICE drops them as coming from an unknown address.
'use strict';

const crypto = require('crypto');
const dgram = require('dgram');
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const TOP = path.resolve(__dirname, '..', '..', '..');
// Chromium's audio+video offer (tests/unit/media/core/fixtures), for a
// peer that publishes with its own ICE credentials put in.
const OFFER = fs.readFileSync(path.join(TOP, 'tests', 'unit', 'media', 'core', 'fixtures', 'chromium_av_offer.sdp'), 'utf8');
// Chromium's DTLS ClientHello, two datagrams (its post-quantum key share
// makes it larger than one): see tests/browser/fixtures/README.md.
const CLIENT_HELLO = fs
    .readFileSync(path.join(TOP, 'tests', 'browser', 'fixtures', 'chromium_client_hello.hex'), 'utf8')
    .trim()
    .split('\n')
    .map((h) => Buffer.from(h, 'hex'));

const MAGIC = 0x2112a442;

function attr(type, value) {
    const pad = (4 - (value.length % 4)) % 4;
    const head = Buffer.alloc(4);
    head.writeUInt16BE(type, 0);
    head.writeUInt16BE(value.length, 2);
    return Buffer.concat([head, value, Buffer.alloc(pad)]);
}

function stunHeader(type, len, txid) {
    const h = Buffer.alloc(20);
    h.writeUInt16BE(type, 0);
    h.writeUInt16BE(len, 2);
    h.writeUInt32BE(MAGIC, 4);
    txid.copy(h, 8);
    return h;
}

// A STUN message of type with the attributes body, then MESSAGE-INTEGRITY
// (HMAC-SHA1 with key) and FINGERPRINT.
function signedStun(type, body, key, txid) {
    const mac = crypto
        .createHmac('sha1', key)
        .update(Buffer.concat([stunHeader(type, body.length + 24, txid), body]))
        .digest();
    const signed = Buffer.concat([body, attr(0x0008, mac)]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE((zlib.crc32(Buffer.concat([stunHeader(type, signed.length + 8, txid), signed])) ^ 0x5354554e) >>> 0, 0);
    const all = Buffer.concat([signed, attr(0x8028, crc)]);
    return Buffer.concat([stunHeader(type, all.length, txid), all]);
}

// A Binding request (controlling; nominating unless nominate is false)
// from `username` ("THEIRS:OURS") signed with the receiver's password.
function bindingRequest(username, pwd, txid, nominate = true) {
    const prio = Buffer.alloc(4);
    prio.writeUInt32BE(0x6e7f1eff, 0);
    const body = Buffer.concat([
        attr(0x0006, Buffer.from(username)),
        attr(0x0024, prio),
        attr(0x802a, crypto.randomBytes(8)),
        ...(nominate ? [attr(0x0025, Buffer.alloc(0))] : []),
    ]);
    return signedStun(0x0001, body, pwd, txid);
}

// The success response to a Binding request from IPv4 address:port,
// signed with our own password (RFC 8445 7.3).
function bindingSuccess(req, address, port, pwd) {
    const xma = Buffer.alloc(8);
    xma.writeUInt16BE(0x0001, 0);
    xma.writeUInt16BE(port ^ (MAGIC >>> 16), 2);
    const ip = address.split('.').reduce((a, b) => ((a << 8) | Number(b)) >>> 0, 0);
    xma.writeUInt32BE((ip ^ MAGIC) >>> 0, 4);
    return signedStun(0x0101, attr(0x0020, xma), pwd, req.subarray(8, 20));
}

class IcePeer {
    // answer: answer the bridge's own Binding requests (its triggered
    // checks), as a browser does; without, the bridge takes our datagrams
    // once it has answered a check of ours but its ICE never connects.
    // Settable later (p.answer = true).
    static async open({ answer = false } = {}) {
        const p = new IcePeer();
        p.answer = answer;
        p.sock = dgram.createSocket('udp4');
        p.replies = [];
        p.sock.on('message', (m, rinfo) => {
            p.replies.push(m);
            if (p.answer && m.length >= 20 && m.readUInt16BE(0) === 0x0001)
                p.sock.send(bindingSuccess(m, rinfo.address, rinfo.port, p.pwd), rinfo.port, rinfo.address);
        });
        p.sock.on('error', () => {}); // ICMP port unreachable once the port closes
        await new Promise((resolve) => p.sock.bind(0, '127.0.0.1', resolve));
        p.ufrag = crypto.randomBytes(6).toString('hex');
        p.pwd = crypto.randomBytes(16).toString('hex');
        return p;
    }

    get port() {
        return this.sock.address().port;
    }

    candidate() {
        return `candidate:1 1 udp 2122260223 127.0.0.1 ${this.port} typ host`;
    }

    // Checks toward 127.0.0.1:port every 200 ms until a Binding success
    // response comes back; throws after ms. nominate false: without
    // USE-CANDIDATE, as a browser's first checks are (the pair becomes
    // valid, the sfu takes our datagrams, but ICE is not yet connected).
    async connect(port, ufrag, pwd, ms, nominate = true) {
        const txid = crypto.randomBytes(12);
        const req = bindingRequest(`${ufrag}:${this.ufrag}`, pwd, txid, nominate);
        const ok = (m) => m.length >= 20 && m.readUInt16BE(0) === 0x0101 && m.subarray(8, 20).equals(txid);
        const deadline = Date.now() + ms;
        while (!this.replies.some(ok)) {
            if (Date.now() > deadline) throw new Error(`no Binding success from port ${port} within ${ms} ms`);
            await this.send(req, port);
            await new Promise((r) => setTimeout(r, 200));
        }
    }

    send(buf, port) {
        return new Promise((resolve) => this.sock.send(buf, port, '127.0.0.1', () => resolve()));
    }

    close() {
        this.sock.close();
    }
}

module.exports = { IcePeer, OFFER, CLIENT_HELLO };
