#!/usr/bin/env bash
# Restore drill: restores the newest backup in KALEI_BACKUP_DIR (decrypting a .dump.age with the
# age identity in KALEI_BACKUP_AGE_IDENTITY) into a throwaway database created through
# KALEI_DRILL_ADMIN_URL, counts the rows of every table, and, with DATABASE_URL set, compares each
# count with the live database (run it right after a backup, or expect the live side to have grown:
# KALEI_DRILL_ALLOW_GROWTH=1 accepts live counts at or above the restored ones). The throwaway
# database is dropped at the end. Exits non-zero when the restore fails, the schema is missing or
# a count differs.
set -euo pipefail
: "${KALEI_DRILL_ADMIN_URL:?KALEI_DRILL_ADMIN_URL (a PostgreSQL URL allowed to create databases) is required}"
dir=${KALEI_BACKUP_DIR:-/var/backups/kalei}
latest=$(find "$dir" -maxdepth 1 \( -name 'kalei-*.dump' -o -name 'kalei-*.dump.age' \) -printf '%f\n' | sort | tail -n 1)
[ -n "$latest" ] || { echo "restore-drill: no backup in $dir" >&2; exit 1; }
work=$(mktemp -d)
drill="kalei_drill_$(date -u +%Y%m%d%H%M%S)_$$"
drill_url=$(python3 -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/" + sys.argv[2])))' "$KALEI_DRILL_ADMIN_URL" "$drill")
cleanup() {
  psql --quiet --no-psqlrc --dbname="$KALEI_DRILL_ADMIN_URL" -c "drop database if exists $drill with (force)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
dump="$dir/$latest"
if [[ "$latest" == *.age ]]; then
  : "${KALEI_BACKUP_AGE_IDENTITY:?KALEI_BACKUP_AGE_IDENTITY (the age private key file) is required to read $latest}"
  age --decrypt --identity "$KALEI_BACKUP_AGE_IDENTITY" --output "$work/backup.dump" "$dump"
  dump="$work/backup.dump"
fi
psql --quiet --no-psqlrc --dbname="$KALEI_DRILL_ADMIN_URL" -c "create database $drill" >/dev/null
pg_restore --no-owner --no-privileges --exit-on-error --dbname="$drill_url" "$dump"

counts() {
  psql --no-psqlrc --tuples-only --no-align --field-separator=' ' --dbname="$1" <<'SQL'
select format('select %L, count(*) from %I.%I', table_name, table_schema, table_name)
from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name
\gexec
SQL
}
counts "$drill_url" > "$work/restored"
grep -q '^users ' "$work/restored" || { echo "restore-drill: $latest has no users table" >&2; exit 1; }
if [ -n "${DATABASE_URL:-}" ]; then counts "$DATABASE_URL" > "$work/live"; fi
status=0
printf '%-36s %10s %10s\n' table restored live
while read -r table restored; do
  live=$( [ -f "$work/live" ] && awk -v t="$table" '$1 == t { print $2 }' "$work/live" || true)
  mark=""
  if [ -f "$work/live" ]; then
    if [ -z "$live" ] || { [ "$live" != "$restored" ] && { [ "${KALEI_DRILL_ALLOW_GROWTH:-}" != "1" ] || [ "$live" -lt "$restored" ]; }; }; then mark="  MISMATCH"; status=1; fi
  fi
  printf '%-36s %10s %10s%s\n' "$table" "$restored" "${live:--}" "$mark"
done < "$work/restored"
echo "restore-drill: $latest restored into a throwaway database: $(wc -l < "$work/restored") tables$([ $status -eq 0 ] && echo ', counts match' || echo ', COUNTS DIFFER')"
exit $status
