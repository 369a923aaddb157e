// The Cầu web client: /?token=TOKEN joins at once (a form asks for a token
// when there is none), publishes the camera and microphone, subscribes to
// everybody else, and exposes window.cau.stats() for tests
// (docs/protocol.md).

import { Signal, defaultUrl } from './signal.js';
import { Publisher, Subscriber } from './media.js';
import * as stats from './stats.js';
import * as ui from './ui.js';

const SPEAKING_THRESHOLD = 0.05; // audioLevel is linear 0..1
const LEVEL_POLL_MS = 300;
const FATAL = new Set(['bad_token', 'expired_token', 'no_such_room']);

const ERROR_TEXT = {
    bad_json: 'Tin nhắn không hợp lệ / Malformed message',
    unknown_type: 'Loại tin nhắn lạ / Unknown message type',
    bad_field: 'Trường không hợp lệ / Bad field',
    too_large: 'Tin nhắn quá lớn / Message too large',
    rate_limited: 'Gửi quá nhanh / Rate limited',
    not_joined: 'Chưa vào phòng / Not joined',
    already_joined: 'Đã vào phòng rồi / Already joined',
    bad_token: 'Mã tham gia không hợp lệ / Invalid token',
    expired_token: 'Mã tham gia đã hết hạn / Token expired',
    no_such_room: 'Phòng họp không tồn tại / No such room',
    sdp_rejected: 'Cầu từ chối kết nối media / The bridge refused the media session',
    internal: 'Lỗi máy chủ / Server error',
};

const session = {
    signal: null,
    joined: false,
    left: false,
    fatal: false,
    joinedAt: null,
    self: null,
    room: null,
    participants: new Map(),
    stream: null,
    publisher: null,
    subscriber: null,
    levelTimer: null,
};

function reportError(text) {
    ui.setStatus(`Lỗi / Error: ${text}`, 'error');
}

function onError(msg) {
    const text = ERROR_TEXT[msg.code] || msg.code;
    reportError(msg.message ? `${text} (${msg.message})` : text);
    if (FATAL.has(msg.code)) session.fatal = true;
}

async function openMedia() {
    const tries = [{ audio: true, video: true }, { audio: true }, { video: true }];
    for (const c of tries) {
        try {
            return await navigator.mediaDevices.getUserMedia(c);
        } catch (err) {
            reportError(`Không mở được camera/micro / Camera or microphone unavailable (${err.name})`);
        }
    }
    return null;
}

async function publish() {
    const stream = await openMedia();
    if (!stream) return;
    if (!session.joined) {
        for (const t of stream.getTracks()) t.stop();
        return;
    }
    session.stream = stream;
    ui.attachLocal(session.self.id, stream);
    ui.setControlsEnabled(true, true);
    session.publisher = new Publisher(session.signal, stream, reportError);
    try {
        await session.publisher.start();
    } catch (err) {
        reportError(`publish: ${err.message}`);
    }
}

function toggle(kind) {
    const track = session.stream && session.stream.getTracks().find((t) => t.kind === kind);
    if (!track) return false;
    track.enabled = !track.enabled;
    if (kind === 'video') ui.setCameraOff(session.self.id, !track.enabled);
    return track.enabled;
}

function pollLevels() {
    let busy = false;
    session.levelTimer = setInterval(() => {
        if (busy) return;
        busy = true;
        stats
            .levels(session)
            .then((l) => ui.setSpeaking(l, SPEAKING_THRESHOLD))
            .catch(() => {})
            .finally(() => (busy = false));
    }, LEVEL_POLL_MS);
}

function onJoined(msg) {
    session.joined = true;
    session.joinedAt = performance.now();
    session.self = msg.self;
    session.room = msg.room;
    ui.setRoom(msg.room);
    ui.ensureTile(msg.self, true);
    for (const p of msg.participants || []) {
        session.participants.set(p.id, p);
        ui.ensureTile(p);
    }
    ui.setStatus(`Đã vào phòng / Joined: ${msg.self.name}`);
    session.subscriber = new Subscriber(session.signal, onTrack, reportError);
    session.subscriber.start();
    ui.showControls({ mic: () => toggle('audio'), cam: () => toggle('video'), leave });
    ui.setControlsEnabled(true, false);
    pollLevels();
    if (msg.self.role !== 'observer') publish();
}

function onTrack(participant, track) {
    if (session.self && participant === session.self.id) return;
    ui.attachTrack(participant, track);
}

function onCandidate(msg) {
    const leg = msg.pc === 'publish' ? session.publisher : msg.pc === 'subscribe' ? session.subscriber : null;
    if (leg && typeof msg.candidate === 'string') leg.addCandidate(msg.candidate);
}

function onParticipantJoined(msg) {
    const p = msg.participant;
    if (!p || (session.self && p.id === session.self.id)) return;
    session.participants.set(p.id, p);
    ui.ensureTile(p);
}

function onParticipantLeft(msg) {
    session.participants.delete(msg.id);
    ui.removeTile(msg.id);
}

// Everything of the meeting goes: peer connections, camera, tiles.
function teardown() {
    session.joined = false;
    clearInterval(session.levelTimer);
    session.levelTimer = null;
    if (session.publisher) session.publisher.close();
    if (session.subscriber) session.subscriber.close();
    if (session.stream) for (const t of session.stream.getTracks()) t.stop();
    session.publisher = session.subscriber = session.stream = null;
    session.participants.clear();
    ui.clearTiles();
    ui.hideControls();
}

function leave() {
    if (session.left) return;
    session.left = true;
    if (session.signal) {
        session.signal.send({ type: 'leave' });
        session.signal.close();
    }
    teardown();
    ui.setStatus('Đã rời phòng / Left');
}

function onClose(e) {
    if (session.left) return;
    const wasFatal = session.fatal;
    teardown();
    session.left = true;
    if (wasFatal) {
        const status = document.getElementById('status').textContent;
        ui.setStatus(`${status} — đã ngắt kết nối / disconnected`, 'error');
        ui.showJoinForm(rejoin);
    } else {
        ui.setStatus(`Mất kết nối / Disconnected (${e.code})`, 'error');
    }
}

function rejoin(token) {
    Object.assign(session, { left: false, fatal: false, joinedAt: null, self: null, room: null });
    join(token);
}

async function join(token) {
    ui.setStatus('Đang kết nối… / Connecting…');
    const signal = new Signal(defaultUrl());
    session.signal = signal;
    signal
        .on('joined', onJoined)
        .on('publish_answer', (m) => {
            if (!session.publisher) return;
            session.publisher.answer(m.sdp).catch((err) => reportError(`publish: ${err.message}`));
        })
        .on('subscribe_offer', (m) => {
            if (session.subscriber) session.subscriber.offer(m.sdp);
        })
        .on('tracks', (m) => {
            if (session.subscriber) session.subscriber.setTracks(m.tracks);
        })
        .on('candidate', onCandidate)
        .on('participant_joined', onParticipantJoined)
        .on('participant_left', onParticipantLeft)
        .on('error', onError)
        .on('unparsable', () => reportError('tin nhắn lạ từ máy chủ / unparsable message from the server'));
    signal.onclose = onClose;
    try {
        await signal.connect();
    } catch (err) {
        reportError(`Không kết nối được máy chủ / Cannot reach the server (${err.message})`);
        session.left = true;
        ui.showJoinForm(rejoin);
        return;
    }
    signal.send({ type: 'join', token });
}

window.cau = {
    stats: () => stats.collect(session),
    get joinedAt() {
        return session.joinedAt;
    },
    leave,
};

window.addEventListener('pagehide', () => {
    if (session.joined && session.signal) session.signal.send({ type: 'leave' });
});

const token = new URLSearchParams(window.location.search).get('token');
if (token) join(token);
else {
    ui.setStatus('Nhập mã tham gia / Enter your token');
    ui.showJoinForm(join);
}
