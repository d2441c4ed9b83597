#!/usr/bin/env bash
# make validate-examples: `terraform validate` in a copy of every example
# directory, against the provider built in bin/ (dev_overrides), so each
# example is valid on its own: it declares its provider source, and every
# attribute it sets exists in the schema. The copy keeps the examples' tree,
# so that a module call with a relative source (../../modules/people) finds
# its module; `terraform get` installs the modules of a directory that calls
# any (a module directory itself is validated like any other).
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
TERRAFORM=${TERRAFORM:-terraform}
# import-by-identity.tf needs Terraform 1.12 (identity in import blocks): with
# an older terraform those files are left out, and the summary says so.
tfv=$("$TERRAFORM" version -json | sed -n 's/.*"terraform_version": *"\([0-9.]*\).*/\1/p')
identity=1
[ "$(printf '%s\n' 1.12.0 "$tfv" | sort -V | head -1)" = 1.12.0 ] || identity=0
# action blocks (examples/actions) need Terraform 1.14: with an older
# terraform those directories are left out, and the summary says so.
actions=1
[ "$(printf '%s\n' 1.14.0 "$tfv" | sort -V | head -1)" = 1.14.0 ] || actions=0
failed=0 n=0 skipped=0 noactions=0
while read -r dir; do
  rel=${dir#"$root"/}
  copy="$work/tree/$rel"
  mkdir -p "$copy" && cp "$dir"/*.tf "$copy"/
done < <(find "$root/examples" -name '*.tf' -not -path '*/.demo/*' -not -path '*/.terraform/*' -exec dirname {} \; | sort -u)
while read -r dir; do
  rel=${dir#"$root"/}
  copy="$work/tree/$rel"
  if grep -qE '^[[:space:]]*module[[:space:]]+"' "$copy"/*.tf &&
    ! out=$("$TERRAFORM" -chdir="$copy" get -no-color 2>&1); then
    failed=1
    echo "FAIL $rel (terraform get)"
    echo "$out"
    continue
  fi
  if [ "$actions" = 0 ] && grep -qE '^[[:space:]]*action[[:space:]]+"' "$copy"/*.tf; then
    noactions=$((noactions + 1))
    continue
  fi
  if [ "$identity" = 0 ] && [ -e "$copy/import-by-identity.tf" ]; then
    rm "$copy/import-by-identity.tf"
    skipped=$((skipped + 1))
  fi
  if out=$("$TERRAFORM" -chdir="$copy" validate -no-color 2>&1); then
    n=$((n + 1))
  else
    failed=1
    echo "FAIL $rel"
    sed '/Warning: Provider development overrides are in effect/,/^$/d' <<<"$out"
  fi
done < <(find "$root/examples" -name '*.tf' -not -path '*/.demo/*' -not -path '*/.terraform/*' -exec dirname {} \; | sort -u)
[ "$failed" -eq 0 ] || exit 1
echo "validate-examples: $n example directories valid (terraform $tfv)"
[ "$skipped" -eq 0 ] || echo "validate-examples: $skipped import-by-identity.tf files not validated: they need Terraform >= 1.12"
[ "$noactions" -eq 0 ] || echo "validate-examples: $noactions directories with action blocks not validated: they need Terraform >= 1.14 (TERRAFORM=/path/to/terraform-1.14 make validate-examples)"
