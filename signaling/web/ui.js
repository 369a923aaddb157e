// The page: status line, join form, one tile per participant (video, name,
// role, speaking highlight) and the microphone / camera / leave buttons.
// Labels are Vietnamese with the English after a slash.

const ROLE_LABEL = {
    chair: 'Chủ trì / Chair',
    participant: 'Đại biểu / Participant',
    observer: 'Quan sát / Observer',
};

const $ = (id) => document.getElementById(id);

export function setStatus(text, kind = 'info') {
    const el = $('status');
    el.textContent = text;
    el.dataset.kind = kind;
}

export function setRoom(room) {
    $('room').textContent = room ? `Phòng / Room: ${room}` : '';
}

export function showJoinForm(onToken) {
    const form = $('join-form');
    form.hidden = false;
    form.onsubmit = (e) => {
        e.preventDefault();
        const token = form.elements.token.value.trim();
        if (!token) return;
        form.hidden = true;
        onToken(token);
    };
}

function tileOf(id) {
    return document.querySelector(`.tile[data-id="${CSS.escape(id)}"]`);
}

function makeTile(p, self) {
    const fig = document.createElement('figure');
    fig.className = self ? 'tile self' : 'tile';
    fig.dataset.id = p.id;
    const video = document.createElement('video');
    video.autoplay = true;
    video.playsInline = true;
    video.muted = true;
    const audio = document.createElement('audio');
    audio.autoplay = true;
    const cap = document.createElement('figcaption');
    const name = document.createElement('span');
    name.className = 'name';
    const role = document.createElement('span');
    role.className = 'role';
    cap.append(name, role);
    fig.append(video, audio, cap);
    $('tiles').append(fig);
    return fig;
}

// The tile of participant p ({id, name, role}), made on first use.
export function ensureTile(p, self = false) {
    const fig = tileOf(p.id) || makeTile(p, self);
    if (p.name !== undefined) {
        fig.querySelector('.name').textContent = self ? `${p.name} (bạn / you)` : p.name;
        fig.dataset.initial = [...p.name.trim()][0] || '?';
    }
    if (p.role !== undefined) fig.querySelector('.role').textContent = ROLE_LABEL[p.role] || p.role;
    return fig;
}

function play(el, stream) {
    el.srcObject = stream;
    const p = el.play();
    if (p) p.catch(() => {});
}

// A remote (or our own) track goes to its participant's tile. Remote audio
// must play: Chromium decodes and measures remote audio only while it does.
export function attachTrack(id, track) {
    const fig = ensureTile({ id });
    const el = fig.querySelector(track.kind === 'video' ? 'video' : 'audio');
    play(el, new MediaStream([track]));
    if (track.kind === 'video') fig.classList.add('has-video');
}

export function attachLocal(id, stream) {
    const fig = ensureTile({ id }, true);
    const video = stream.getVideoTracks();
    if (video.length) {
        play(fig.querySelector('video'), new MediaStream(video));
        fig.classList.add('has-video');
    }
}

export function removeTile(id) {
    const fig = tileOf(id);
    if (!fig) return;
    for (const el of fig.querySelectorAll('video, audio')) el.srcObject = null;
    fig.remove();
}

export function clearTiles() {
    for (const fig of document.querySelectorAll('.tile')) removeTile(fig.dataset.id);
}

// levels: Map participant id -> audio level 0..1.
export function setSpeaking(levels, threshold) {
    for (const fig of document.querySelectorAll('.tile'))
        fig.classList.toggle('speaking', (levels.get(fig.dataset.id) || 0) > threshold);
}

export function setCameraOff(id, off) {
    const fig = tileOf(id);
    if (fig) fig.classList.toggle('camera-off', off);
}

// handlers: {mic(), cam(), leave()}; each of mic/cam returns the new "on".
export function showControls(handlers) {
    const bar = $('controls');
    bar.hidden = false;
    const mic = $('mic');
    const cam = $('cam');
    mic.onclick = () => {
        const on = handlers.mic();
        mic.textContent = on ? 'Tắt mic / Mute' : 'Bật mic / Unmute';
        mic.setAttribute('aria-pressed', String(!on));
    };
    cam.onclick = () => {
        const on = handlers.cam();
        cam.textContent = on ? 'Tắt camera / Camera off' : 'Bật camera / Camera on';
        cam.setAttribute('aria-pressed', String(!on));
    };
    $('leave').onclick = () => handlers.leave();
}

export function setControlsEnabled(enabled, media = enabled) {
    $('mic').disabled = !media;
    $('cam').disabled = !media;
    $('leave').disabled = !enabled;
}

export function hideControls() {
    $('controls').hidden = true;
}
