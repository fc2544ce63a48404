#!/usr/bin/env bash
# Throwaway PostgreSQL and Redis on 127.0.0.1 for CI and benchmarks. Source it, then call
# install_services [EXTRA_PACKAGE…] and start_services WORKDIR PGPORT REDISPORT; it exports KALEI_TEST_DATABASE_URL and
# KALEI_TEST_REDIS_URL, and stop_services ends both. Needs Debian's postgresql and redis-server.

install_services() {
  local need=()
  local extra
  for extra in "$@"; do command -v "$extra" >/dev/null || need+=("$extra"); done
  command -v redis-server >/dev/null || need+=(redis-server)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
  if [ ${#need[@]} -gt 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fi
}

start_services() {
  SERVICES_DIR=$1
  SERVICES_PGPORT=$2
  SERVICES_REDISPORT=$3
  SERVICES_PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  mkdir -p "$SERVICES_DIR"
  chown postgres "$SERVICES_DIR" 2>/dev/null || true
  su postgres -s /bin/sh -c "$SERVICES_PGBIN/initdb -D $SERVICES_DIR/pg --auth=trust --username=postgres -E UTF8 >/dev/null"
  su postgres -s /bin/sh -c "$SERVICES_PGBIN/pg_ctl -D $SERVICES_DIR/pg -w -l $SERVICES_DIR/pg.log -o \"-p $SERVICES_PGPORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$SERVICES_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200\" start" >/dev/null
  redis-server --daemonize yes --bind 127.0.0.1 --port "$SERVICES_REDISPORT" --save "" --appendonly no --logfile "$SERVICES_DIR/redis.log"
  for _ in $(seq 1 50); do redis-cli -p "$SERVICES_REDISPORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
  export KALEI_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$SERVICES_PGPORT/postgres"
  export KALEI_TEST_REDIS_URL="redis://127.0.0.1:$SERVICES_REDISPORT/0"
  echo "PostgreSQL $("$SERVICES_PGBIN/postgres" --version | awk '{print $3}') on :$SERVICES_PGPORT, Redis $(redis-server --version | awk '{print $3}') on :$SERVICES_REDISPORT"
}

stop_services() {
  [ -n "${SERVICES_DIR:-}" ] || return 0
  su postgres -s /bin/sh -c "$SERVICES_PGBIN/pg_ctl -D $SERVICES_DIR/pg -m immediate stop" >/dev/null 2>&1 || true
  redis-cli -p "$SERVICES_REDISPORT" shutdown nosave >/dev/null 2>&1 || true
  rm -rf "$SERVICES_DIR"
}
