#!/usr/bin/env bash
# Usage: scripts/with-postgres.sh CMD [ARGS...]
#
# Runs CMD against a throwaway PostgreSQL 15 server: a fresh data directory in a temporary
# directory, listening on a free port on 127.0.0.1 (and a Unix socket inside the temporary
# directory, so it never collides with a system server), trusting local connections, with fsync
# off because the data is thrown away. CMD sees
#   OC_TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:PORT/opencredit_test
# The server is stopped and the directory removed however CMD ends; the script exits with CMD's
# status. As root the server runs as the `postgres` user (PostgreSQL refuses to run as root).
set -euo pipefail

if [ $# -eq 0 ]; then
  echo "usage: $0 CMD [ARGS...]" >&2
  exit 2
fi

pg_bin=${OC_POSTGRES_BIN:-/usr/lib/postgresql/15/bin}
for tool in initdb pg_ctl pg_isready psql; do
  if [ ! -x "$pg_bin/$tool" ]; then
    echo "with-postgres: $pg_bin/$tool not found; run scripts/setup.sh (package postgresql)" >&2
    exit 1
  fi
done

as_server_user=()
if [ "$(id -u)" -eq 0 ]; then
  if ! id postgres >/dev/null 2>&1; then
    echo "with-postgres: running as root but there is no 'postgres' user to run the server" >&2
    exit 1
  fi
  as_server_user=(runuser -u postgres --)
fi
server_user=postgres

work_dir=$(mktemp -d "${TMPDIR:-/tmp}/oc-postgres-XXXXXX")
data_dir="$work_dir/data"
log_file="$work_dir/server.log"
server_started=0

cleanup() {
  local status=$?
  if [ "$server_started" -eq 1 ]; then
    "${as_server_user[@]}" "$pg_bin/pg_ctl" -D "$data_dir" -m immediate -w stop >/dev/null 2>&1 \
      || true
  fi
  rm -rf "$work_dir"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ ${#as_server_user[@]} -gt 0 ]; then
  chown postgres: "$work_dir"
fi
chmod 700 "$work_dir"

# A port that nothing listens on right now, checked by binding it. Another process could take it
# before the server does; the start below then fails loudly rather than using someone else's.
# perl-base (essential on Debian, so present on a fresh machine) provides the socket calls.
port=$(perl -MSocket -e '
  socket(my $s, PF_INET, SOCK_STREAM, 0) or die "socket: $!";
  bind($s, pack_sockaddr_in(0, inet_aton("127.0.0.1"))) or die "bind: $!";
  my ($port) = unpack_sockaddr_in(getsockname($s));
  print "$port\n";')

"${as_server_user[@]}" "$pg_bin/initdb" -D "$data_dir" -U "$server_user" --auth=trust \
  --encoding=UTF8 --locale=C.UTF-8 >"$work_dir/initdb.log" 2>&1 || {
  cat "$work_dir/initdb.log" >&2
  exit 1
}

server_options="-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$work_dir"
server_options+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
server_options+=" -c max_connections=200"
server_started=1
if ! "${as_server_user[@]}" "$pg_bin/pg_ctl" -D "$data_dir" -l "$log_file" -o "$server_options" \
  -t 60 -w start >/dev/null; then
  echo "with-postgres: the server did not start; its log:" >&2
  cat "$log_file" >&2 || true
  exit 1
fi

ready=0
for _ in $(seq 1 60); do
  if "$pg_bin/pg_isready" -q -h 127.0.0.1 -p "$port" -U "$server_user"; then
    ready=1
    break
  fi
  sleep 0.5
done
if [ "$ready" -ne 1 ]; then
  echo "with-postgres: the server did not accept connections within 30 s; its log:" >&2
  cat "$log_file" >&2 || true
  exit 1
fi

"$pg_bin/psql" -q -h 127.0.0.1 -p "$port" -U "$server_user" -d postgres -v ON_ERROR_STOP=1 \
  -c "CREATE DATABASE opencredit_test" >/dev/null

export OC_TEST_POSTGRES_URL="postgresql://$server_user@127.0.0.1:$port/opencredit_test"
set +e
"$@"
status=$?
set -e
exit "$status"
