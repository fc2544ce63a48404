#!/usr/bin/env bash
# `npm run bench`: uses KALEI_TEST_DATABASE_URL / KALEI_TEST_REDIS_URL when set, otherwise starts
# throwaway PostgreSQL and Redis (installing them from Debian when missing) for the HTTP benchmarks.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${KALEI_TEST_DATABASE_URL:-}" ] || [ -z "${KALEI_TEST_REDIS_URL:-}" ]; then
  . scripts/services.sh
  install_services
  trap stop_services EXIT
  start_services "$(mktemp -d /tmp/kalei-bench.XXXXXX)" 55441 56391
fi
npx tsx apps/api/bench/run.ts
