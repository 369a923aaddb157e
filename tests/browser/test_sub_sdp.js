// The subscribe offers the bridge writes (sfu/core/sub_sdp), as kept in
// tests/unit/sfu/core/fixtures/sub_offer_N.sdp (test_sub_sdp checks that the
// code still writes them byte for byte), applied in order to one Chromium
// RTCPeerConnection: each must be accepted, every sendonly section must
// become a receiving transceiver whose track event names the msid's stream
// (the source participant), and ended sections must not receive.
//
//   node tests/browser/test_sub_sdp.js [--write-answers DIR]
//
// With --write-answers, Chromium's answers are saved as
// DIR/chromium_sub_answer_N.sdp (the fixtures test_sub_sdp reads).
'use strict';

const fs = require('fs');
const path = require('path');
const { launch, blankPage } = require('./lib/chromium');
const { run, assert } = require('./lib/runner');

const FIXTURES = path.join(__dirname, '..', 'unit', 'sfu', 'core', 'fixtures');

function loadOffers() {
    const offers = [];
    for (let i = 0; fs.existsSync(path.join(FIXTURES, `sub_offer_${i}.sdp`)); i++)
        offers.push(fs.readFileSync(path.join(FIXTURES, `sub_offer_${i}.sdp`), 'utf8'));
    return offers;
}

// Per m= section of an offer: mid, direction, msid stream, port.
function sections(sdp) {
    return sdp
        .split(/\r\n(?=m=)/)
        .slice(1)
        .map((m) => ({
            port: Number(m.match(/^m=\w+ (\d+)/)[1]),
            mid: m.match(/a=mid:(\S+)/)[1],
            dir: m.match(/a=(sendonly|inactive|sendrecv|recvonly)/)[1],
            stream: (m.match(/a=msid:(\S+)/) || [])[1],
        }));
}

async function applyOffer(sdp) {
    window.events = [];
    try {
        await window.pc.setRemoteDescription({ type: 'offer', sdp });
        await window.pc.setLocalDescription(await window.pc.createAnswer());
    } catch (e) {
        return { error: String(e) };
    }
    return {
        answer: window.pc.localDescription.sdp,
        events: window.events,
        transceivers: window.pc.getTransceivers().map((t) => ({
            mid: t.mid,
            dir: t.currentDirection,
        })),
    };
}

async function main() {
    const i = process.argv.indexOf('--write-answers');
    const outDir = i > 0 ? process.argv[i + 1] : null;
    const offers = loadOffers();
    const browser = await launch();
    const page = await blankPage(browser.context, 'sub sdp');
    await page.evaluate(() => {
        window.pc = new RTCPeerConnection();
        window.pc.ontrack = (e) =>
            window.events.push({ mid: e.transceiver.mid, stream: e.streams.map((s) => s.id).join() });
    });
    const streamOf = {}; // mid -> stream id from the last track event
    const cases = offers.map((sdp, n) => [
        `subscribe offer ${n} accepted`,
        async () => {
            const r = await page.evaluate(applyOffer, sdp);
            assert(!r.error, r.error);
            if (outDir) fs.writeFileSync(path.join(outDir, `chromium_sub_answer_${n}.sdp`), r.answer);
            for (const e of r.events) streamOf[e.mid] = e.stream;
            for (const s of sections(sdp)) {
                const t = r.transceivers.find((x) => x.mid === s.mid);
                if (s.dir === 'sendonly') {
                    assert(t && t.dir === 'recvonly', `mid ${s.mid}: ${JSON.stringify(t)}`);
                    assert(streamOf[s.mid] === s.stream, `mid ${s.mid}: stream ${streamOf[s.mid]}`);
                } else {
                    assert(!t || t.dir === 'inactive', `mid ${s.mid} receives`);
                    assert(s.port === 0 || s.mid === '0', `mid ${s.mid} port ${s.port}`);
                }
            }
        },
    ]);
    cases.unshift(['subscribe offers found', async () => assert(offers.length >= 5, 'offers')]);
    cases.push(['close', async () => browser.close()]);
    await run(cases);
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
