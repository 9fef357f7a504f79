# shellcheck shell=bash
# Shared helpers for the tu scripts (infrastructure and services). Source it:
#
#   source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
#
# Safe under `set -euo pipefail`: every function returns a status instead of exiting, except
# tu_die. Processes started here are tracked by pid files under $(tu_state_dir)/pids, and the stop
# helpers only ever signal pids found in those files (never by name), so the machine's own servers
# and other people's processes are never touched.

# Guard against double sourcing (infra.sh and a service script may both source it).
[[ -n "${_TU_COMMON_SH:-}" ]] && return 0
_TU_COMMON_SH=1

_TU_JDK25_DEFAULT=/usr/lib/jvm/temurin-25-jdk-amd64

# ---------------------------------------------------------------------------------------------
# Messages

tu_log() {
  printf '[tu %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2
}

tu_die() {
  printf '[tu %s] ERROR: %s\n' "$(date +%H:%M:%S)" "$*" >&2
  exit 1
}

# ---------------------------------------------------------------------------------------------
# Locations

# Repo root: this file lives in <root>/scripts/lib.
tu_root() {
  (cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
}

# Runtime state (pid files, logs, data). Git-ignored (.state/ in .gitignore).
tu_state_dir() {
  local dir="${TU_STATE_DIR:-$(tu_root)/.state}"
  mkdir -p "$dir"
  printf '%s\n' "$dir"
}

# Downloads (Keycloak, s3proxy, Kafka jars) live outside the tree so a clean clone or
# `git clean -fdx` does not throw away a few hundred megabytes.
tu_cache_dir() {
  local dir="${TU_CACHE_DIR:-${HOME}/.cache/tu}"
  mkdir -p "$dir"
  printf '%s\n' "$dir"
}

# ---------------------------------------------------------------------------------------------
# JDK 25 (the default java on these machines is 17)

# Prints the major version of the JDK at $1, or nothing. Reads the `release` file first because
# starting a JVM just to ask costs ~100 ms on every call.
_tu_jdk_major() {
  local home="$1" v=""
  [[ -x "$home/bin/java" ]] || return 0
  if [[ -r "$home/release" ]]; then
    v="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release")"
  fi
  if [[ -z "$v" ]]; then
    v="$("$home/bin/java" -version 2>&1 | sed -n '1s/.*version "\([0-9]*\).*/\1/p')"
  fi
  printf '%s' "$v"
}

tu_java_home() {
  local candidate major
  local -a candidates=()
  [[ -n "${JAVA_HOME:-}" ]] && candidates+=("$JAVA_HOME")
  candidates+=("$_TU_JDK25_DEFAULT")
  for candidate in /usr/lib/jvm/*25*; do
    [[ -d "$candidate" ]] && candidates+=("$candidate")
  done
  for candidate in "${candidates[@]}"; do
    major="$(_tu_jdk_major "$candidate")"
    if [[ -n "$major" ]] && (( major >= 25 )); then
      printf '%s\n' "$candidate"
      return 0
    fi
  done
  echo "JDK 25 not found: install Temurin 25 or set JAVA_HOME" >&2
  return 1
}

# ---------------------------------------------------------------------------------------------
# Background processes tracked by pid files

_tu_pid_dir() {
  local dir
  dir="$(tu_state_dir)/pids"
  mkdir -p "$dir"
  printf '%s\n' "$dir"
}

# Kernel start time of a pid (field 22 of /proc/PID/stat). Stored next to the pid so that a pid
# recycled by an unrelated process after a reboot or crash is never mistaken for ours.
_tu_starttime() {
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  # Strip "pid (comm) " first: comm may contain spaces.
  stat="${stat##*) }"
  # shellcheck disable=SC2086
  set -- $stat
  printf '%s\n' "${20}"
}

# Prints the pid recorded for NAME if that process is still alive and is the one we started.
_tu_live_pid() {
  local name="$1" pid_file pid saved now
  pid_file="$(_tu_pid_dir)/$name.pid"
  [[ -r "$pid_file" ]] || return 1
  pid="$(tr -dc '0-9' < "$pid_file")"
  [[ -n "$pid" ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  if [[ -r "$pid_file.start" ]]; then
    saved="$(cat "$pid_file.start")"
    now="$(_tu_starttime "$pid")" || return 1
    [[ "$saved" == "$now" ]] || return 1
  fi
  printf '%s\n' "$pid"
}

tu_is_running() {
  _tu_live_pid "$1" >/dev/null
}

# Log file recorded by tu_start_bg for NAME (used to show the tail when it dies).
tu_log_file() {
  local f
  f="$(_tu_pid_dir)/$1.logfile"
  [[ -r "$f" ]] && cat "$f"
}

# tu_start_bg NAME LOGFILE CMD...
# Runs CMD detached in its own session (so it survives this shell and can be stopped as a
# group), stdout+stderr appended to LOGFILE. The pid is written by the child itself just before it
# execs CMD, so it is CMD's pid whatever setsid does about forking.
tu_start_bg() {
  local name="$1" log="$2"
  shift 2
  local pid_dir pid_file pid i
  pid_dir="$(_tu_pid_dir)"
  pid_file="$pid_dir/$name.pid"
  if pid="$(_tu_live_pid "$name")"; then
    tu_log "$name already running (pid $pid), not starting another"
    return 0
  fi
  rm -f "$pid_file" "$pid_file.start"
  mkdir -p "$(dirname "$log")"
  printf '%s\n' "$log" > "$pid_dir/$name.logfile"
  printf '\n===== %s starting %s: %s\n' "$(date '+%F %T')" "$name" "$*" >> "$log"
  # shellcheck disable=SC2016
  setsid nohup bash -c 'echo $$ > "$0.tmp" && mv "$0.tmp" "$0"; exec "$@"' \
    "$pid_file" "$@" >> "$log" 2>&1 < /dev/null &
  disown $! 2>/dev/null || true   # not this shell's job: no "Killed" notice when it is stopped
  for ((i = 0; i < 50; i++)); do
    [[ -s "$pid_file" ]] && break
    sleep 0.1
  done
  [[ -s "$pid_file" ]] || { tu_log "$name: no pid file after 5 s (see $log)"; return 1; }
  pid="$(cat "$pid_file")"
  _tu_starttime "$pid" > "$pid_file.start" 2>/dev/null || true
  tu_log "$name started (pid $pid, log $log)"
}

# True if PID leads its own process group (then the whole group is ours: tu_start_bg uses setsid).
_tu_is_group_leader() {
  local pgid
  pgid="$(ps -o pgid= -p "$1" 2>/dev/null | tr -d ' ')"
  [[ "$pgid" == "$1" ]]
}

_tu_signal() {
  local sig="$1" pid="$2" group="$3"
  if [[ "$group" == yes ]]; then
    kill "-$sig" -- "-$pid" 2>/dev/null || kill "-$sig" "$pid" 2>/dev/null || true
  else
    kill "-$sig" "$pid" 2>/dev/null || true
  fi
}

# tu_stop NAME [timeout_s]: SIGTERM, wait, then SIGKILL. Only the pid (group) in NAME.pid.
tu_stop() {
  local name="$1" timeout="${2:-30}" pid_file pid group=no deadline
  pid_file="$(_tu_pid_dir)/$name.pid"
  if ! pid="$(_tu_live_pid "$name")"; then
    [[ -e "$pid_file" ]] && tu_log "$name not running (stale pid file removed)"
    rm -f "$pid_file" "$pid_file.start"
    return 0
  fi
  _tu_is_group_leader "$pid" && group=yes
  tu_log "stopping $name (pid $pid$([[ $group == yes ]] && echo ', process group'))"
  _tu_signal TERM "$pid" "$group"
  deadline=$((SECONDS + timeout))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then
    tu_log "$name still alive after ${timeout}s: SIGKILL"
    _tu_signal KILL "$pid" "$group"
    sleep 0.2
  elif [[ "$group" == yes ]]; then
    # The leader is gone; sweep any child it left in its group (e.g. a wrapper's java).
    _tu_signal KILL "$pid" "$group"
  fi
  rm -f "$pid_file" "$pid_file.start"
}

# ---------------------------------------------------------------------------------------------
# Waiting

# tu_log_tail NAME [LINES]: the end of NAME's log (the file given to tu_start_bg) on stderr.
tu_log_tail() {
  local name="$1" lines="${2:-30}" log
  log="$(tu_log_file "$name" || true)"
  if [[ -n "$log" && -r "$log" ]]; then
    tu_log "last $lines lines of $log:"
    tail -n "$lines" "$log" >&2
  fi
  return 0
}

_tu_show_death() {
  tu_log "$1 exited"
  tu_log_tail "$1" 30
}

# tu_wait_http URL TIMEOUT_S [NAME]: polls until URL answers 2xx. With NAME, fails as soon as
# NAME's process is gone instead of waiting out the timeout.
tu_wait_http() {
  local url="$1" timeout="$2" name="${3:-}" deadline code
  deadline=$((SECONDS + timeout))
  while ((SECONDS < deadline)); do
    code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 "$url" 2>/dev/null || true)"
    [[ "$code" == 2?? ]] && return 0
    if [[ -n "$name" ]] && ! tu_is_running "$name"; then
      _tu_show_death "$name"
      return 1
    fi
    sleep 0.5
  done
  tu_log "timed out after ${timeout}s waiting for $url"
  return 1
}

# True if something accepts TCP connections on HOST:PORT right now.
tu_port_open() {
  # shellcheck disable=SC2016 # $0/$1 are expanded by the inner bash
  timeout 2 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$1" "$2" 2>/dev/null
}

# tu_wait_port HOST PORT TIMEOUT_S [NAME]
tu_wait_port() {
  local host="$1" port="$2" timeout="$3" name="${4:-}" deadline
  deadline=$((SECONDS + timeout))
  while ((SECONDS < deadline)); do
    tu_port_open "$host" "$port" && return 0
    if [[ -n "$name" ]] && ! tu_is_running "$name"; then
      _tu_show_death "$name"
      return 1
    fi
    sleep 0.3
  done
  tu_log "timed out after ${timeout}s waiting for $host:$port"
  return 1
}
