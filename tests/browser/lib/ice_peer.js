// A bare ICE peer for tests that send the sfu what no browser would: a UDP
// socket on loopback that passes one of the sfu's ICE-lite transports'
// connectivity check (a STUN Binding request with USE-CANDIDATE and the
// short-term credentials of RFC 8445 §7.2.2, integrity and fingerprint of
// RFC 5389 §15.4-15.5). From then on its datagrams reach the sfu's RFC 7983
// demultiplexer; before, ICE drops them as coming from an unknown address.
'use strict';

const crypto = require('crypto');
const dgram = require('dgram');
const zlib = require('zlib');

const MAGIC = 0x2112a442;

function attr(type, value) {
    const pad = (4 - (value.length % 4)) % 4;
    const head = Buffer.alloc(4);
    head.writeUInt16BE(type, 0);
    head.writeUInt16BE(value.length, 2);
    return Buffer.concat([head, value, Buffer.alloc(pad)]);
}

// A Binding request (controlling, nominating) from `username`
// ("THEIRS:OURS") signed with the receiver's password.
function bindingRequest(username, pwd, txid) {
    const prio = Buffer.alloc(4);
    prio.writeUInt32BE(0x6e7f1eff, 0);
    const body = Buffer.concat([
        attr(0x0006, Buffer.from(username)),
        attr(0x0024, prio),
        attr(0x802a, crypto.randomBytes(8)),
        attr(0x0025, Buffer.alloc(0)),
    ]);
    const header = (len) => {
        const h = Buffer.alloc(20);
        h.writeUInt16BE(0x0001, 0);
        h.writeUInt16BE(len, 2);
        h.writeUInt32BE(MAGIC, 4);
        txid.copy(h, 8);
        return h;
    };
    const mac = crypto
        .createHmac('sha1', pwd)
        .update(Buffer.concat([header(body.length + 24), body]))
        .digest();
    const signed = Buffer.concat([body, attr(0x0008, mac)]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE((zlib.crc32(Buffer.concat([header(signed.length + 8), signed])) ^ 0x5354554e) >>> 0, 0);
    const all = Buffer.concat([signed, attr(0x8028, crc)]);
    return Buffer.concat([header(all.length), all]);
}

class IcePeer {
    static async open() {
        const p = new IcePeer();
        p.sock = dgram.createSocket('udp4');
        p.replies = [];
        p.sock.on('message', (m) => p.replies.push(m));
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
    // response comes back; throws after ms.
    async connect(port, ufrag, pwd, ms) {
        const txid = crypto.randomBytes(12);
        const req = bindingRequest(`${ufrag}:${this.ufrag}`, pwd, txid);
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

module.exports = { IcePeer };
