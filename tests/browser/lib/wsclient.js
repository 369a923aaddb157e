// A raw client of the signaling WebSocket (docs/protocol.md) for tests that
// send what a browser would not: every frame received is kept, next()
// waits for one that matches.
'use strict';

const WebSocket = require('ws');

class WsClient {
    constructor(url) {
        this.url = url;
        this.messages = [];
        this.waiters = new Set();
        this.closeInfo = null;
    }

    open() {
        return new Promise((resolve, reject) => {
            const ws = new WebSocket(this.url, { maxPayload: 1 << 20 });
            this.ws = ws;
            ws.on('open', resolve);
            ws.on('error', (e) => {
                if (ws.readyState !== WebSocket.OPEN) reject(e);
            });
            ws.on('message', (data, binary) => {
                let msg;
                try {
                    msg = JSON.parse(data.toString('utf8'));
                } catch (e) {
                    msg = { type: 'unparsable', binary, text: data.toString('utf8') };
                }
                this.messages.push(msg);
                this.wake();
            });
            ws.on('close', (code, reason) => {
                this.closeInfo = { code, reason: reason.toString() };
                this.wake();
            });
        });
    }

    wake() {
        for (const w of [...this.waiters]) w();
    }

    get isOpen() {
        return this.ws.readyState === WebSocket.OPEN;
    }

    // obj is sent as JSON, a string or Buffer as it is.
    send(obj) {
        this.ws.send(typeof obj === 'string' || Buffer.isBuffer(obj) ? obj : JSON.stringify(obj));
    }

    // The first message received from index `from` on for which pred holds.
    next(pred, ms, what, from = 0) {
        return new Promise((resolve, reject) => {
            const check = () => {
                const m = this.messages.slice(from).find(pred);
                if (m) {
                    done();
                    resolve(m);
                } else if (this.closeInfo) {
                    done();
                    reject(new Error(`${what}: socket closed (${this.closeInfo.code}) first; got ${this.seen(from)}`));
                }
            };
            const done = () => {
                clearTimeout(timer);
                this.waiters.delete(check);
            };
            const timer = setTimeout(() => {
                done();
                reject(new Error(`${what}: nothing within ${ms} ms; got ${this.seen(from)}`));
            }, ms);
            this.waiters.add(check);
            check();
        });
    }

    seen(from = 0) {
        return JSON.stringify(this.messages.slice(from)).slice(0, 600);
    }

    // Send msg and wait for the error it earns; returns the error message.
    async expectError(msg, code, ms = 3000) {
        const from = this.messages.length;
        this.send(msg);
        const shown = typeof msg === 'string' ? msg.slice(0, 40) : JSON.stringify(msg).slice(0, 60);
        const what = `error ${code} for ${shown}`;
        const m = await this.next((x) => x.type === 'error', ms, what, from);
        if (m.code !== code) throw new Error(`${what}: got ${JSON.stringify(m)}`);
        return m;
    }

    // Resolves with {code, reason} once the server has closed the socket.
    closed(ms, what) {
        return new Promise((resolve, reject) => {
            const check = () => {
                if (!this.closeInfo) return;
                clearTimeout(timer);
                this.waiters.delete(check);
                resolve(this.closeInfo);
            };
            const timer = setTimeout(() => {
                this.waiters.delete(check);
                reject(new Error(`${what}: socket still open after ${ms} ms`));
            }, ms);
            this.waiters.add(check);
            check();
        });
    }

    close() {
        if (this.ws && this.ws.readyState <= WebSocket.OPEN) this.ws.close();
    }

    // Drop the TCP connection without a closing handshake.
    terminate() {
        this.ws.terminate();
    }
}

module.exports = { WsClient };
