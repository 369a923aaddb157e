// The real bridge for browser tests: build/bin/sfu and build/bin/signaling
// started on loopback with a config of their own in a temporary directory
// (a free signaling port, the sfu's control socket in that directory, a
// media port range away from the default), readiness waited for on
// GET /healthz, tokens minted with `signaling token`, both processes
// stopped by PID. new Servers({ controlTcp: true }): the sfu also listens on
// TCP (127.0.0.1 and a free port, sfu.control_tcp, with a random
// sfu.control_secret) and signaling reaches it there instead of over the
// Unix socket.
'use strict';

const { spawn, execFileSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const http = require('http');
const net = require('net');
const os = require('os');
const path = require('path');
const { waitFor } = require('./runner');

const TOP = path.resolve(__dirname, '..', '..', '..');
const BIN = path.join(TOP, 'build', 'bin');

// The config of issue 4, used when configs/default.json is not there.
const FALLBACK_CONFIG = {
    signaling: {
        listen: '127.0.0.1',
        port: 8080,
        web_root: 'signaling/web',
        token_secret: '',
        admin_key: '',
        max_message_bytes: 65536,
        messages_per_second: 50,
        participant_timeout_s: 10,
    },
    sfu: {
        control_socket: 'build/run/sfu.sock',
        media_addrs: ['127.0.0.1'],
        port_min: 40000,
        port_max: 40999,
        workers: 2,
    },
    rooms: [{ id: 'demo', title: 'Demo meeting' }],
};

function freeTcpPort() {
    return new Promise((resolve, reject) => {
        const srv = net.createServer();
        srv.on('error', reject);
        srv.listen(0, '127.0.0.1', () => {
            const { port } = srv.address();
            srv.close(() => resolve(port));
        });
    });
}

// Status code of GET url, or 0 when nothing answers.
function httpStatus(url) {
    return new Promise((resolve) => {
        const req = http.get(url, { timeout: 1000 }, (res) => {
            res.resume();
            resolve(res.statusCode);
        });
        req.on('timeout', () => req.destroy());
        req.on('error', () => resolve(0));
    });
}

// GET url: { status, body } (UTF-8); rejects when nothing answers in ms.
function httpGet(url, ms = 5000) {
    return new Promise((resolve, reject) => {
        const req = http.get(url, { timeout: ms }, (res) => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (d) => (body += d));
            res.on('end', () => resolve({ status: res.statusCode, body }));
        });
        req.on('timeout', () => req.destroy(new Error(`GET ${url}: no answer in ${ms} ms`)));
        req.on('error', reject);
    });
}

function tail(file, lines) {
    try {
        return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
    } catch (e) {
        return '';
    }
}

// HS256 JSON Web Token over claims, signed with secret (docs/protocol.md).
function signToken(claims, secret) {
    const b64 = (obj) => Buffer.from(JSON.stringify(obj)).toString('base64url');
    const head = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}`;
    const sig = crypto.createHmac('sha256', secret).update(head).digest('base64url');
    return `${head}.${sig}`;
}

class Servers {
    constructor(opts = {}) {
        this.opts = opts;
        this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cau-meeting-'));
        this.procs = {};
        this.exits = {};
        this.onExit = () => this.killNow();
        process.on('exit', this.onExit);
    }

    async writeConfig() {
        const def = path.join(TOP, 'configs', 'default.json');
        const cfg = fs.existsSync(def) ? JSON.parse(fs.readFileSync(def, 'utf8')) : FALLBACK_CONFIG;
        this.port = await freeTcpPort();
        // 100 media ports away from the default 40000-40999.
        const base = 41000 + 100 * crypto.randomInt(0, 80);
        this.secret = crypto.randomBytes(24).toString('hex');
        cfg.signaling = { ...cfg.signaling, listen: '127.0.0.1', port: this.port, token_secret: this.secret };
        if (!cfg.signaling.admin_key) cfg.signaling.admin_key = crypto.randomBytes(12).toString('hex');
        cfg.sfu = {
            ...cfg.sfu,
            control_socket: path.join(this.dir, 'sfu.sock'),
            media_addrs: ['127.0.0.1'],
            port_min: base,
            port_max: base + 99,
        };
        if (this.opts.controlTcp) {
            this.controlPort = await freeTcpPort();
            this.controlSecret = crypto.randomBytes(24).toString('hex');
            cfg.sfu.control_tcp = `127.0.0.1:${this.controlPort}`;
            cfg.sfu.control_secret = this.controlSecret;
        }
        if (!cfg.rooms.some((r) => r.id === 'demo')) cfg.rooms.push({ id: 'demo', title: 'Demo meeting' });
        this.config = cfg;
        this.cfgFile = path.join(this.dir, 'config.json');
        fs.writeFileSync(this.cfgFile, JSON.stringify(cfg, null, 2));
    }

    spawn(name) {
        const bin = path.join(BIN, name);
        if (!fs.existsSync(bin)) throw new Error(`${bin} is missing: run make all`);
        const log = fs.openSync(path.join(this.dir, `${name}.log`), 'a');
        const proc = spawn(bin, ['--config', this.cfgFile], { cwd: TOP, stdio: ['ignore', log, log] });
        fs.closeSync(log);
        proc.on('exit', (code, signal) => {
            this.exits[name] = signal ? `signal ${signal}` : `status ${code}`;
        });
        this.procs[name] = proc;
    }

    // Both up and answering /healthz; throws with the logs otherwise.
    async start() {
        await this.writeConfig();
        const sock = this.config.sfu.control_socket;
        try {
            this.spawn('sfu');
            await waitFor(() => fs.existsSync(sock) || this.exits.sfu, 10000, 'sfu control socket');
            if (this.exits.sfu) throw new Error(`sfu exited (${this.exits.sfu})`);
            this.spawn('signaling');
            await waitFor(
                async () => this.exits.signaling || (await httpStatus(`${this.url}/healthz`)) === 200,
                10000,
                'signaling /healthz 200'
            );
            if (this.exits.signaling) throw new Error(`signaling exited (${this.exits.signaling})`);
        } catch (e) {
            e.message += `\n${this.logs()}`;
            throw e;
        }
    }

    get url() {
        return `http://127.0.0.1:${this.port}`;
    }

    get wsUrl() {
        return `ws://127.0.0.1:${this.port}/ws`;
    }

    logs(lines = 25) {
        return ['sfu', 'signaling']
            .map((n) => `--- ${n}.log (last ${lines} lines)\n${tail(path.join(this.dir, `${n}.log`), lines)}`)
            .join('\n');
    }

    // Throws when a server has exited since start.
    assertAlive() {
        for (const name of Object.keys(this.procs))
            if (this.exits[name])
                throw new Error(`${name} exited during the test (${this.exits[name]})\n${this.logs()}`);
    }

    token(role, name, room = 'demo', ttl) {
        const args = ['token', '--config', this.cfgFile, '--room', room, '--role', role, '--name', name];
        if (ttl !== undefined) args.push('--ttl', String(ttl));
        return execFileSync(path.join(BIN, 'signaling'), args, { cwd: TOP, encoding: 'utf8' }).trim();
    }

    // A token signed here with the config's secret (or another).
    signed(claims, secret = this.secret) {
        return signToken(claims, secret);
    }

    killNow() {
        for (const [name, proc] of Object.entries(this.procs))
            if (!this.exits[name]) {
                try {
                    process.kill(proc.pid, 'SIGKILL');
                } catch (e) {
                    /* already gone */
                }
            }
    }

    // SIGTERM, then SIGKILL for what is still there after 5 s. Returns how
    // each one ended.
    async stop() {
        for (const [name, proc] of Object.entries(this.procs)) if (!this.exits[name]) proc.kill('SIGTERM');
        const alive = () => Object.keys(this.procs).filter((n) => !this.exits[n]);
        try {
            await waitFor(() => alive().length === 0, 5000, 'servers exiting on SIGTERM');
        } catch (e) {
            this.killNow();
            await waitFor(() => alive().length === 0, 5000, 'servers exiting on SIGKILL');
        }
        process.removeListener('exit', this.onExit);
        if (!process.env.CAU_KEEP_TMP) fs.rmSync(this.dir, { recursive: true, force: true });
        return { ...this.exits };
    }
}

module.exports = { Servers, signToken, httpGet, freeTcpPort, TOP };
