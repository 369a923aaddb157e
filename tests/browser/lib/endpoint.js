// The C endpoint program (build/bin/cau-endpoint) as a child process that
// speaks JSON lines on stdin/stdout; ep.code is its exit status once it
// has exited. joinAs/expectEndpointJoined: one in join mode, as a
// participant of a meeting of lib/servers.js.
'use strict';

const { spawn } = require('child_process');
const path = require('path');
const readline = require('readline');
const { assert } = require('./runner');

const TOP = path.resolve(__dirname, '..', '..', '..');
const BIN = path.join(TOP, 'build', 'bin', 'cau-endpoint');

class Endpoint {
    constructor(args) {
        this.proc = spawn(BIN, args, { stdio: ['pipe', 'pipe', 'inherit'] });
        this.messages = [];
        this.waiters = [];
        this.exited = new Promise((resolve) =>
            this.proc.on('exit', (code) => {
                this.code = code;
                resolve(code);
            })
        );
        readline.createInterface({ input: this.proc.stdout }).on('line', (line) => {
            let msg;
            try {
                msg = JSON.parse(line);
            } catch (e) {
                msg = { type: 'unparsable', line };
            }
            this.messages.push(msg);
            for (const w of [...this.waiters]) w();
            if (this.onMessage) this.onMessage(msg);
        });
    }

    send(msg) {
        this.proc.stdin.write(JSON.stringify(msg) + '\n');
    }

    // The first message (old or new) for which pred holds.
    next(pred, ms, what) {
        return new Promise((resolve, reject) => {
            const check = () => {
                const m = this.messages.find(pred);
                if (!m) return false;
                clearTimeout(timer);
                this.waiters = this.waiters.filter((w) => w !== check);
                resolve(m);
                return true;
            };
            const timer = setTimeout(() => {
                this.waiters = this.waiters.filter((w) => w !== check);
                reject(new Error(`endpoint: no ${what} within ${ms} ms`));
            }, ms);
            if (!check()) this.waiters.push(check);
        });
    }

    async stats() {
        const before = this.messages.length;
        this.send({ type: 'stats' });
        return this.next((m, i) => m.type === 'stats' && this.messages.indexOf(m) >= before, 5000, 'stats');
    }

    async stop() {
        this.proc.kill('SIGTERM');
        return this.exited;
    }
}

// A C participant of srv's room (--join with a token of srv's).
function joinAs(srv, name, extra = [], role = 'participant') {
    const ep = new Endpoint(['--join', srv.wsUrl, '--token', srv.token(role, name), ...extra]);
    ep.name = name;
    ep.role = role;
    return ep;
}

// ep's joined message, with its name and role; sets ep.id.
async function expectEndpointJoined(ep) {
    const m = await ep.next((x) => x.type === 'joined' || x.type === 'error' || x.type === 'closed', 10000,
        `${ep.name} joined`);
    assert(m.type === 'joined', `${ep.name}: ${JSON.stringify(m)}`);
    assert(m.self.name === ep.name && m.self.role === ep.role, `${ep.name}: self ${JSON.stringify(m.self)}`);
    ep.id = m.self.id;
    return m;
}

module.exports = { Endpoint, BIN, joinAs, expectEndpointJoined };
