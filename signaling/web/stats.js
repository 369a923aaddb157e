// window.cau.stats() (docs/protocol.md, "The web client's test surface"):
// the getStats() of both peer connections reduced to plain numbers, and the
// levels the speaking highlight polls.

function num(v) {
    return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

async function reports(leg) {
    if (!leg || leg.closed) return [];
    const out = [];
    (await leg.pc.getStats()).forEach((s) => out.push(s));
    return out;
}

function inboundEntry(sub, s) {
    return {
        participant: sub.ownerOf(s),
        kind: s.kind,
        packetsReceived: num(s.packetsReceived),
        bytesReceived: num(s.bytesReceived),
        packetsLost: num(s.packetsLost),
        jitter: num(s.jitter),
        framesDecoded: num(s.framesDecoded),
        frameWidth: num(s.frameWidth),
        frameHeight: num(s.frameHeight),
        audioLevel: num(s.audioLevel),
    };
}

function outboundEntry(s) {
    return {
        kind: s.kind,
        packetsSent: num(s.packetsSent),
        bytesSent: num(s.bytesSent),
        framesEncoded: num(s.framesEncoded),
    };
}

// session: {joined, self, participants (Map id -> {id,name,role}),
// publisher, subscriber}.
export async function collect(session) {
    const [pub, sub] = await Promise.all([reports(session.publisher), reports(session.subscriber)]);
    const inbound = sub.filter((s) => s.type === 'inbound-rtp').map((s) => inboundEntry(session.subscriber, s));
    const outbound = pub.filter((s) => s.type === 'outbound-rtp').map(outboundEntry);
    const person = (p) => ({ id: p.id, name: p.name, role: p.role });
    return {
        joined: session.joined,
        self: session.self ? person(session.self) : null,
        participants: [...session.participants.values()].map(person),
        inbound,
        outbound,
    };
}

// Audio levels for the speaking highlight: Map participant id -> level
// (0..1), ours (from the microphone's media-source) under selfId.
export async function levels(session) {
    const out = new Map();
    const [pub, sub] = await Promise.all([reports(session.publisher), reports(session.subscriber)]);
    for (const s of sub) {
        if (s.type !== 'inbound-rtp' || s.kind !== 'audio') continue;
        const who = session.subscriber.ownerOf(s);
        if (who) out.set(who, Math.max(out.get(who) || 0, num(s.audioLevel)));
    }
    const mic = session.publisher && session.publisher.track('audio');
    for (const s of pub)
        if (s.type === 'media-source' && s.kind === 'audio' && session.self)
            out.set(session.self.id, mic && mic.enabled ? num(s.audioLevel) : 0);
    return out;
}
