#!/usr/bin/env bash
# `make run`: the bridge on the embedded default config with a demo meeting.
# Starts build/bin/sfu and build/bin/signaling on configs/default.json, prints
# one "join: URL" line per link (a chair and two participants), then starts C
# endpoints (build/bin/cau-endpoint) as the province and commune
# participants, publishing test patterns and tones. Ctrl-C stops every
# process it started, by PID.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
config=${CAU_CONFIG:-configs/default.json}
bin=build/bin
pids=()

stop() {
    trap - INT TERM EXIT
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null; done
    echo "run: stopped"
    exit 0
}
trap stop INT TERM EXIT

# The value at a JSON path of the config, e.g. cfg signaling.port.
cfg() {
    node -e 'const c = require(process.argv[1]); let v = c;
             for (const k of process.argv[2].split(".")) v = v[k];
             console.log(v)' "$top/$config" "$1"
}

# GET /healthz with bash's /dev/tcp (no curl needed): 0 when it says 200.
# In a subshell with stderr closed: a refused connect is an expected answer.
healthy() {
    (
        exec 3<>"/dev/tcp/$1/$2" || exit 1
        printf 'GET /healthz HTTP/1.0\r\nHost: %s\r\n\r\n' "$1" >&3
        read -r _ status _ <&3
        [[ "$status" == 200 ]]
    ) 2>/dev/null
}

wait_for() { # what seconds command...
    local what=$1 secs=$2
    shift 2
    for ((i = 0; i < secs * 10; i++)); do
        "$@" && return 0
        sleep 0.1
    done
    echo "run: $what did not come up within $secs s" >&2
    return 1
}

host=$(cfg signaling.listen)
port=$(cfg signaling.port)
sock=$(cfg sfu.control_socket)
room=$(node -e 'console.log(require(process.argv[1]).rooms[0].id)' "$top/$config")

"$bin/sfu" --config "$config" &
pids+=($!)
wait_for "sfu control socket $sock" 10 test -S "$sock" || exit 1
"$bin/signaling" --config "$config" &
pids+=($!)
wait_for "signaling on $host:$port" 10 healthy "$host" "$port" || exit 1

token() { # role name
    "$bin/signaling" token --config "$config" --room "$room" --role "$1" --name "$2" --ttl 86400
}

echo "run: meeting room '$room' is open; open a link in a browser:"
echo "join: http://$host:$port/?token=$(token chair 'Chủ trì (chair)')"
echo "join: http://$host:$port/?token=$(token participant 'Đại biểu 1')"
echo "join: http://$host:$port/?token=$(token participant 'Đại biểu 2')"

# The demo participants: the province and three communes of Thái Nguyên city.
names=("UBND tỉnh Thái Nguyên" "Phường Hoàng Văn Thụ" "Phường Phan Đình Phùng" "Xã Quyết Thắng")
for name in "${names[@]}"; do
    "$bin/cau-endpoint" --join "ws://$host:$port/ws" --token "$(token participant "$name")" \
        --size 640x360 --fps 15 --kbps 400 >/dev/null &
    pids+=($!)
done
echo "run: ${#names[@]} C endpoints publish test patterns and tones; Ctrl-C stops everything"
# A server that stops on its own is a failure; on Ctrl-C the whole process
# group gets SIGINT and the servers (their own handlers) exit 0 at once.
wait -n "${pids[@]:0:2}"
rc=$?
((rc == 0)) || echo "run: a server exited with status $rc" >&2
stop
