// The client side of the signaling protocol (docs/protocol.md): one
// WebSocket carrying JSON text frames. Messages are dispatched by `type` to
// the handlers registered with on(); a frame that is not JSON goes to the
// "unparsable" handler.

export function defaultUrl(loc = window.location) {
    const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:';
    return `${scheme}//${loc.host}/ws`;
}

export class Signal {
    constructor(url) {
        this.url = url;
        this.ws = null;
        this.handlers = new Map();
        this.onclose = null;
    }

    on(type, fn) {
        this.handlers.set(type, fn);
        return this;
    }

    // Resolves once the socket is open, rejects if it fails first.
    connect() {
        return new Promise((resolve, reject) => {
            let open = false;
            const ws = new WebSocket(this.url);
            this.ws = ws;
            ws.onopen = () => {
                open = true;
                resolve();
            };
            ws.onerror = () => {
                if (!open) reject(new Error(`WebSocket ${this.url} failed`));
            };
            ws.onclose = (e) => {
                if (!open) reject(new Error(`WebSocket ${this.url} closed (${e.code})`));
                else if (this.onclose) this.onclose(e);
            };
            ws.onmessage = (e) => this.dispatch(e.data);
        });
    }

    dispatch(text) {
        let msg;
        try {
            msg = JSON.parse(text);
        } catch (err) {
            msg = null;
        }
        if (!msg || typeof msg !== 'object' || typeof msg.type !== 'string') {
            const h = this.handlers.get('unparsable');
            if (h) h(text);
            return;
        }
        const h = this.handlers.get(msg.type) || this.handlers.get('*');
        if (h) h(msg);
    }

    get isOpen() {
        return this.ws !== null && this.ws.readyState === WebSocket.OPEN;
    }

    send(msg) {
        if (!this.isOpen) return false;
        this.ws.send(JSON.stringify(msg));
        return true;
    }

    // Close without reporting it through onclose (we chose to).
    close() {
        if (!this.ws) return;
        this.onclose = null;
        this.ws.close(1000, 'bye');
    }
}
