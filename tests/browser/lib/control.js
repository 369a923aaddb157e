// A client of the sfu's control channel (docs/control-protocol.md): JSON
// lines over the Unix socket (Control.connect) or over TCP
// (Control.connectTcp, then hello(secret) before any request), requests
// answered by id, events kept. Replies that answer no request (the sfu's
// unauthorized line has id 0) are kept in `unmatched`; `closed` turns true
// when the sfu closes the connection.
'use strict';

const net = require('net');
const readline = require('readline');

class Control {
    static open(connectArg) {
        return new Promise((resolve, reject) => {
            const c = new Control();
            c.sock = net.createConnection(connectArg, () => resolve(c));
            c.sock.on('error', (e) => {
                if (!c.closed) reject(e);
            });
            c.sock.on('close', () => (c.closed = true));
            c.closed = false;
            c.pending = new Map();
            c.events = [];
            c.unmatched = [];
            c.listeners = [];
            c.nextId = 1;
            readline.createInterface({ input: c.sock }).on('line', (line) => {
                const m = JSON.parse(line);
                if (m.event) {
                    c.events.push(m);
                    for (const l of c.listeners) l(m);
                } else if (c.pending.has(m.id)) {
                    c.pending.get(m.id)(m);
                    c.pending.delete(m.id);
                } else {
                    c.unmatched.push(m);
                }
            });
        });
    }

    static connect(path) {
        return Control.open(path);
    }

    static connectTcp(port, host = '127.0.0.1') {
        return Control.open({ port, host });
    }

    // The TCP hello; resolves with the sfu's reply to it (id 0).
    hello(secret) {
        return new Promise((resolve) => {
            this.pending.set(0, resolve);
            this.sock.write(JSON.stringify({ op: 'hello', secret }) + '\n');
        });
    }

    request(op, fields = {}) {
        const id = this.nextId++;
        return new Promise((resolve) => {
            this.pending.set(id, resolve);
            this.sock.write(JSON.stringify({ id, op, ...fields }) + '\n');
        });
    }

    onEvent(fn) {
        this.listeners.push(fn);
        for (const e of this.events) fn(e);
    }

    close() {
        this.sock.end();
    }
}

module.exports = { Control };
