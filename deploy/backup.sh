#!/usr/bin/env bash
# A database backup: a custom-format pg_dump written under a temporary name, checked by listing its
# contents, encrypted with age to the recipients in KALEI_BACKUP_AGE_RECIPIENTS (a file of public
# keys; the private key is kept off this machine), then kept; backups older than
# KALEI_BACKUP_KEEP_DAYS are removed. With KALEI_BACKUP_SHIP_COMMAND set, the finished file is
# handed to that command as its last argument (e.g. `rclone copyto`-style copy to object storage)
# and a failure to ship fails the run. Prints the file's path.
# Reflective text in the dump is also column-encrypted: the dump is only useful with
# KALEI_DATA_KEYS, which must be backed up separately and never beside it.
set -euo pipefail
: "${DATABASE_URL:?DATABASE_URL is required}"
dir=${KALEI_BACKUP_DIR:-/var/backups/kalei}
keep_days=${KALEI_BACKUP_KEEP_DAYS:-14}
recipients=${KALEI_BACKUP_AGE_RECIPIENTS:-}
if [ -z "$recipients" ] && [ "${KALEI_BACKUP_ALLOW_PLAINTEXT:-}" != "1" ]; then
  echo "backup.sh: KALEI_BACKUP_AGE_RECIPIENTS is not set: set it to a file of age public keys (age-keygen -y), or KALEI_BACKUP_ALLOW_PLAINTEXT=1 to keep unencrypted dumps" >&2
  exit 2
fi
if [ -n "$recipients" ] && [ ! -r "$recipients" ]; then
  echo "backup.sh: KALEI_BACKUP_AGE_RECIPIENTS=$recipients is not a readable file of age public keys" >&2
  exit 2
fi
umask 077
mkdir -p "$dir"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
partial="$dir/.kalei-$stamp.dump.partial"
sealed="$dir/.kalei-$stamp.dump.age.partial"
trap 'rm -f "$partial" "$sealed"' EXIT
pg_dump --format=custom --no-owner --no-privileges --dbname="$DATABASE_URL" --file="$partial"
# A dump that cannot be listed is not a backup: fail loudly instead of keeping it.
pg_restore --list "$partial" >/dev/null
if [ -n "$recipients" ]; then
  age --encrypt --recipients-file "$recipients" --output "$sealed" "$partial"
  final="$dir/kalei-$stamp.dump.age"
  mv "$sealed" "$final"
  rm -f "$partial"
else
  final="$dir/kalei-$stamp.dump"
  mv "$partial" "$final"
fi
if [ -n "${KALEI_BACKUP_SHIP_COMMAND:-}" ]; then
  # Word-split on purpose: the variable holds a command and its options.
  # shellcheck disable=SC2086
  $KALEI_BACKUP_SHIP_COMMAND "$final"
fi
find "$dir" -maxdepth 1 \( -name 'kalei-*.dump' -o -name 'kalei-*.dump.age' \) -mtime +"$keep_days" -delete
echo "$final"
