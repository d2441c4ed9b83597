#!/usr/bin/env bash
# make validate-examples: `terraform validate` in a copy of every example
# directory, against the provider built in bin/ (dev_overrides), so each
# example is valid on its own: it declares its provider source, and every
# attribute it sets exists in the schema.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "registry.terraform.io/workspace-membership/membership" = "$root/bin"
  }
  direct {}
}
RC
export TF_CLI_CONFIG_FILE="$work/terraformrc" TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
failed=0 n=0
while read -r dir; do
  rel=${dir#"$root"/}
  copy="$work/$(echo "$rel" | tr / _)"
  mkdir -p "$copy" && cp "$dir"/*.tf "$copy"/
  if out=$(terraform -chdir="$copy" validate -no-color 2>&1); then
    n=$((n + 1))
  else
    failed=1
    echo "FAIL $rel"
    sed '/Warning: Provider development overrides are in effect/,/^$/d' <<<"$out"
  fi
done < <(find "$root/examples" -name '*.tf' -not -path '*/.demo/*' -not -path '*/.terraform/*' -exec dirname {} \; | sort -u)
[ "$failed" -eq 0 ] || exit 1
echo "validate-examples: $n example directories valid"
