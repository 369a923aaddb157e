// A client of the sfu's control channel (docs/control-protocol.md): JSON
// lines over the Unix socket, requests answered by id, events kept.
'use strict';

const net = require('net');
const readline = require('readline');

class Control {
    static connect(path) {
        return new Promise((resolve, reject) => {
            const c = new Control();
            c.sock = net.createConnection(path, () => resolve(c));
            c.sock.on('error', reject);
            c.pending = new Map();
            c.events = [];
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
                }
            });
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
