// A minimal test runner for the browser tests: each case prints
// "PASS name" or "FAIL name: reason", the run ends with
// "browser: N passed, N failed" (tests/run.sh reads that line) and exits
// non-zero on any failure.
'use strict';

async function run(cases) {
    let passed = 0;
    let failed = 0;
    for (const [name, fn] of cases) {
        const t0 = Date.now();
        try {
            await fn();
            passed++;
            console.log(`PASS ${name} (${Date.now() - t0} ms)`);
        } catch (e) {
            failed++;
            console.log(`FAIL ${name}: ${e && e.stack ? e.stack : e}`);
        }
    }
    console.log(`browser: ${passed} passed, ${failed} failed`);
    process.exit(failed ? 1 : 0);
}

// Poll fn() until it returns a truthy value or ms pass; the value, or an
// error naming what did not happen (with the last value seen).
async function waitFor(fn, ms, what) {
    const deadline = Date.now() + ms;
    let last;
    for (;;) {
        last = await fn();
        if (last && last.ok !== false) return last;
        if (Date.now() > deadline)
            throw new Error(`${what} not reached within ${ms} ms; last: ${JSON.stringify(last)}`);
        await new Promise((r) => setTimeout(r, 200));
    }
}

function assert(cond, msg) {
    if (!cond) throw new Error(msg);
}

// The setup the cases of a file share (servers, a browser): the first call
// runs fn, the later ones wait for it and, after a failure, fail with a
// short reason naming what is missing.
function sharedSetup(what, fn) {
    let setup = null;
    return async () => {
        if (!setup) {
            setup = fn();
            return setup;
        }
        try {
            await setup;
        } catch (e) {
            throw new Error(`no ${what}: the setup failed (${e.message.split('\n')[0]})`);
        }
    };
}

module.exports = { run, waitFor, assert, sharedSetup };
