#!/usr/bin/env bash
# A database backup: a custom-format pg_dump written under a temporary name, checked by listing its
# contents, then kept; dumps older than KALEI_BACKUP_KEEP_DAYS are removed. Prints the file's path.
# Reflective text in the dump is column-encrypted: the dump is only useful with KALEI_DATA_KEYS,
# which must be backed up separately and never beside it.
set -euo pipefail
: "${DATABASE_URL:?DATABASE_URL is required}"
dir=${KALEI_BACKUP_DIR:-/var/backups/kalei}
keep_days=${KALEI_BACKUP_KEEP_DAYS:-14}
umask 077
mkdir -p "$dir"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
partial="$dir/.kalei-$stamp.dump.partial"
trap 'rm -f "$partial"' EXIT
pg_dump --format=custom --no-owner --no-privileges --dbname="$DATABASE_URL" --file="$partial"
# A dump that cannot be listed is not a backup: fail loudly instead of keeping it.
pg_restore --list "$partial" >/dev/null
mv "$partial" "$dir/kalei-$stamp.dump"
find "$dir" -maxdepth 1 -name 'kalei-*.dump' -mtime +"$keep_days" -delete
echo "$dir/kalei-$stamp.dump"
