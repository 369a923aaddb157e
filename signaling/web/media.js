// The two peer connections of a participant (docs/protocol.md):
// - Publisher: our camera and microphone, sendonly; we offer (`publish`),
//   the bridge answers (`publish_answer`).
// - Subscriber: everybody else; the bridge offers (`subscribe_offer`, again
//   on every change), we answer (`subscribe_answer`).
// Both trickle ICE candidates as `candidate` with pc "publish"/"subscribe".
// Remote candidates that arrive before the remote description are queued;
// local ones are held back until our SDP has been sent.

// We offer the publish connection: one bundled transport. The bridge
// offers the subscribe connection, and may offer no m= section (and so no
// BUNDLE group) while nobody else publishes, which max-bundle would refuse.
const PC_CONFIG = {
    publish: { bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' },
    subscribe: { bundlePolicy: 'balanced', rtcpMuxPolicy: 'require' },
};

class Leg {
    constructor(name, signal, onError) {
        this.name = name;
        this.signal = signal;
        this.onError = onError;
        this.pc = new RTCPeerConnection(PC_CONFIG[name]);
        this.localPending = [];
        this.localReady = false;
        this.remotePending = [];
        this.closed = false;
        this.pc.onicecandidate = (e) => this.localCandidate(e.candidate ? e.candidate.candidate : '');
        this.pc.onconnectionstatechange = () => {
            if (this.pc.connectionState === 'failed' && !this.closed)
                this.onError(`${this.name}: kết nối media thất bại / media connection failed`);
        };
    }

    localCandidate(candidate) {
        if (!this.localReady) {
            this.localPending.push(candidate);
            return;
        }
        this.signal.send({ type: 'candidate', pc: this.name, candidate });
    }

    // Our SDP is out: candidates may follow it.
    releaseLocal() {
        this.localReady = true;
        for (const c of this.localPending.splice(0)) this.localCandidate(c);
    }

    // A candidate from the bridge ("" = end of candidates).
    addCandidate(candidate) {
        if (this.closed) return;
        if (!this.pc.remoteDescription) {
            this.remotePending.push(candidate);
            return;
        }
        const t = this.pc.getTransceivers().find((x) => x.mid !== null);
        const init = t ? { candidate, sdpMid: t.mid } : { candidate, sdpMLineIndex: 0 };
        this.pc.addIceCandidate(init).catch((err) => {
            if (candidate !== '') this.onError(`${this.name}: candidate refused (${err.message})`);
        });
    }

    flushRemote() {
        for (const c of this.remotePending.splice(0)) this.addCandidate(c);
    }

    close() {
        this.closed = true;
        this.pc.close();
    }
}

export class Publisher extends Leg {
    constructor(signal, stream, onError) {
        super('publish', signal, onError);
        this.stream = stream;
    }

    async start() {
        for (const track of this.stream.getTracks())
            this.pc.addTransceiver(track, { direction: 'sendonly', streams: [this.stream] });
        await this.pc.setLocalDescription(await this.pc.createOffer());
        this.signal.send({ type: 'publish', sdp: this.pc.localDescription.sdp });
        this.releaseLocal();
    }

    async answer(sdp) {
        if (this.closed) return;
        await this.pc.setRemoteDescription({ type: 'answer', sdp });
        this.flushRemote();
    }

    track(kind) {
        return this.stream.getTracks().find((t) => t.kind === kind) || null;
    }
}

export class Subscriber extends Leg {
    // onTrack(participantId, track, stream, transceiver) for every new
    // remote track.
    constructor(signal, onTrack, onError) {
        super('subscribe', signal, onError);
        this.onTrack = onTrack;
        this.chain = Promise.resolve();
        this.offers = 0;
        // receiver track id -> participant id (from the stream id, i.e. the
        // msid of the bridge's offer); mid -> {participant, kind} from the
        // `tracks` message as a fallback.
        this.trackOwner = new Map();
        this.midOwner = new Map();
        this.pc.ontrack = (e) => this.handleTrack(e);
    }

    start() {
        this.signal.send({ type: 'subscribe' });
    }

    handleTrack(e) {
        let participant = e.streams.length ? e.streams[0].id : null;
        if (!participant && e.transceiver && this.midOwner.has(e.transceiver.mid))
            participant = this.midOwner.get(e.transceiver.mid).participant;
        if (!participant) return;
        this.trackOwner.set(e.track.id, participant);
        this.onTrack(participant, e.track, e.streams[0] || null, e.transceiver);
    }

    setTracks(tracks) {
        this.midOwner.clear();
        for (const t of tracks || []) this.midOwner.set(String(t.mid), { participant: t.participant, kind: t.kind });
    }

    // Offers are answered one at a time, in order; one that a newer offer
    // has replaced while it waited is skipped (each offer is complete, and
    // the bridge takes an answer only to its latest).
    offer(sdp) {
        const n = ++this.offers;
        this.chain = this.chain.then(() => this.answerOffer(sdp, n));
        return this.chain;
    }

    async answerOffer(sdp, n) {
        if (this.closed || n !== this.offers) return;
        try {
            await this.pc.setRemoteDescription({ type: 'offer', sdp });
            await this.pc.setLocalDescription(await this.pc.createAnswer());
        } catch (err) {
            this.onError(`subscribe: ${err.message}`);
            return;
        }
        this.signal.send({ type: 'subscribe_answer', sdp: this.pc.localDescription.sdp });
        this.releaseLocal();
        this.flushRemote();
    }

    // Participant id of an inbound-rtp stats entry.
    ownerOf(stat) {
        if (stat.trackIdentifier && this.trackOwner.has(stat.trackIdentifier))
            return this.trackOwner.get(stat.trackIdentifier);
        if (stat.mid !== undefined && this.midOwner.has(String(stat.mid)))
            return this.midOwner.get(String(stat.mid)).participant;
        return null;
    }
}
