#!/usr/bin/env bash
# make release-dry-run: the release GoReleaser would make from this commit
# (.goreleaser.yml, snapshot version, nothing published), signed with a
# throwaway GPG key made for the run, then checked the way the Terraform
# Registry and `terraform init` check a release:
#   - a zip per target (13), each holding terraform-provider-membership_v<version>;
#   - <name>_<version>_SHA256SUMS lists exactly those zips and the manifest,
#     and every sum matches;
#   - the detached signature <name>_<version>_SHA256SUMS.sig verifies
#     against SHA256SUMS as it was published (GoReleaser v2.15.x rewrote
#     SHA256SUMS after signing it: goreleaser/goreleaser#6514);
#   - the manifest is terraform-registry-manifest.json (protocol 6.0).
# Without gpg it builds unsigned (--skip=sign) and says so.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${GORELEASER_VERSION:?set GORELEASER_VERSION (the GNUmakefile does)}"
GO=${GO:-go}
name=terraform-provider-membership
targets=13

work=$(mktemp -d)
trap 'gpgconf --homedir "$work/gnupg" --kill all >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
skip=publish
if command -v gpg >/dev/null; then
  export GNUPGHOME="$work/gnupg"
  mkdir -m 700 "$GNUPGHOME"
  gpg --batch --quiet --passphrase '' --quick-gen-key "$name dry run <dry-run@invalid>" rsa3072 sign 1d
  GPG_FINGERPRINT=$(gpg --list-secret-keys --with-colons | awk -F: '/^fpr/ { print $10; exit }')
  export GPG_FINGERPRINT
else
  echo "release-dry-run: no gpg in PATH: building unsigned (--skip=sign); the signature is not checked"
  skip=sign,publish
fi
$GO run "github.com/goreleaser/goreleaser/v2@$GORELEASER_VERSION" release --snapshot --clean --skip="$skip"

fail() { echo "release-dry-run: $*" >&2; exit 1; }
cd dist
sums=$(ls ${name}_*_SHA256SUMS)
version=${sums#"${name}_"}
version=${version%_SHA256SUMS}
zips=$(ls ${name}_"${version}"_*.zip | wc -l)
[ "$zips" -eq "$targets" ] || fail "$zips zips, want $targets"
for z in ${name}_"${version}"_*.zip; do
  unzip -Z1 "$z" | grep -qx "${name}_v${version}" || fail "$z does not hold ${name}_v${version}"
done
listed=$(awk '{ print $2 }' "$sums" | sort)
want=$( (ls ${name}_"${version}"_*.zip; echo "${name}_${version}_manifest.json") | sort)
[ "$listed" = "$want" ] || fail "$sums lists:"$'\n'"$listed"$'\n'"want the zips and the manifest only"
cp ../terraform-registry-manifest.json "${name}_${version}_manifest.json"
sha256sum --quiet --check "$sums" || fail "a sum in $sums does not match"
if [ "$skip" = publish ]; then
  gpg --batch --quiet --verify "$sums.sig" "$sums" 2>/dev/null || fail "$sums.sig does not verify against $sums"
fi
grep -q '"6.0"' "${name}_${version}_manifest.json" || fail "the manifest does not declare protocol 6.0"
echo "release-dry-run: $version: $zips zips, $sums (zips and manifest$([ "$skip" = publish ] && echo ", signature verified")), in dist/"
