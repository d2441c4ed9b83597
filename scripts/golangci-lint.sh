#!/usr/bin/env bash
# make golangci-lint: golangci-lint $GOLANGCI_LINT_VERSION over ./... with
# .golangci.yml.
#
# The linter is built once per version (and Go version) from the module
# proxy into a directory outside the clone, and every clone reuses it:
#   ${GOLANGCI_LINT_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-membership/golangci-lint}/<version>-<go version>/golangci-lint
# Building it takes a few minutes on 2 cores with a cold Go build cache;
# afterwards only the analysis runs. Any failure (the build, the run, a
# finding) is this script's exit status: lint is never skipped silently.
# `scripts/golangci-lint.sh --install` only builds it.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${GOLANGCI_LINT_VERSION:?set GOLANGCI_LINT_VERSION (the GNUmakefile does)}"
GO=${GO:-go}
gover=$($GO env GOVERSION)
root=${GOLANGCI_LINT_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-membership/golangci-lint}
dir="$root/$GOLANGCI_LINT_VERSION-$gover"
bin="$dir/golangci-lint"

if [ ! -x "$bin" ]; then
  echo "golangci-lint $GOLANGCI_LINT_VERSION: building it once into $dir (reused by every clone)"
  mkdir -p "$root"
  tmp=$(mktemp -d "$root/.build.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  GOBIN="$tmp" GOFLAGS= $GO install "github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$GOLANGCI_LINT_VERSION"
  mkdir -p "$dir"
  # rename: a concurrent build in another clone never sees half a binary
  mv -f "$tmp/golangci-lint" "$bin"
fi
# the binary must be the version asked for
"$bin" version 2>&1 | grep -q "version ${GOLANGCI_LINT_VERSION#v}\b\|version $GOLANGCI_LINT_VERSION\b" || {
  echo "golangci-lint: $bin is not version $GOLANGCI_LINT_VERSION: $("$bin" version 2>&1)"
  exit 1
}
[ "${1:-}" = --install ] && exit 0
# --allow-serial-runners: while another clone's lint runs (a developer's,
# a second CI job), this one waits for its lock instead of failing.
exec "$bin" run --allow-serial-runners "$@" ./...
