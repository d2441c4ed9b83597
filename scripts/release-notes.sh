#!/usr/bin/env bash
# scripts/release-notes.sh vX.Y.Z [CHANGELOG.md]: prints the CHANGELOG
# section of that version (its "## X.Y.Z ..." heading up to the next "## "),
# the release notes the release workflow publishes. It fails when the
# CHANGELOG has no such section, or an empty one, or when the version is
# still under "Unreleased": a tag is only released once its CHANGELOG
# section is written (RELEASING.md).
set -euo pipefail
tag=${1:?usage: release-notes.sh vX.Y.Z [CHANGELOG.md]}
file=${2:-CHANGELOG.md}
version=${tag#v}
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]] || { echo "release-notes: $tag is not a version tag vX.Y.Z" >&2; exit 1; }
notes=$(awk -v v="$version" '
  /^## / { if (found) exit; if ($2 == v) { found = 1; next } }
  found { print }
' "$file")
if [ -z "$(tr -d '[:space:]' <<<"$notes")" ]; then
  echo "release-notes: $file has no \"## $version\" section (or it is empty)." >&2
  echo "Move the \"## Unreleased\" entries under \"## $version ($(date -u '+%B %-d, %Y'))\" and commit before tagging." >&2
  exit 1
fi
# trim the blank lines around the section
sed -e '/./,$!d' <<<"$notes" | sed -e ':a' -e '/^\n*$/{$d;N;ba' -e '}'
