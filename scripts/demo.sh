#!/usr/bin/env bash
# make demo: build the provider, start the sandbox, apply examples/demo,
# show a clean plan, change members out of band, show the plan that
# detects it, then destroy. Needs Go and Terraform; no account, no internet.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work="$root/examples/demo/.demo"
rm -rf "$work" && mkdir -p "$work"

# Bold headings on a terminal only: piped or logged output stays plain.
if [ -t 1 ]; then
  bold() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
else
  bold() { printf '\n==> %s\n' "$*"; }
fi
# Terraform warns about dev_overrides on every command; the demo uses them on
# purpose, so that block is dropped (from stdout and stderr).
quiet() { sed '/Warning: Provider development overrides are in effect/,/^$/d'; }

command -v terraform >/dev/null || { echo "terraform (>= 1.11) is needed in PATH"; exit 1; }
[ -x "$root/bin/terraform-provider-membership" ] || (cd "$root" && go build -o bin/terraform-provider-membership .)

bold "Starting the sandbox (the five APIs, emulated locally)"
(cd "$root" && go build -o "$work/sandbox" ./internal/sandbox/cmd)
"$work/sandbox" -addr 127.0.0.1:0 -url-file "$work/url" > "$work/sandbox.log" 2>&1 &
sandbox_pid=$!
trap 'kill $sandbox_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do [ -s "$work/url" ] && break; sleep 0.1; done
url=$(cat "$work/url")
echo "sandbox at $url"

cat > "$work/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "registry.terraform.io/workspace-membership/membership" = "$root/bin"
  }
  direct {}
}
RC
cp "$root"/examples/demo/*.tf "$work/"
export TF_CLI_CONFIG_FILE="$work/terraformrc" TF_VAR_sandbox_url="$url" TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
tf() { terraform -chdir="$work" "$@"; }

bold "terraform apply: onboarding"
tf apply -auto-approve -no-color 2>&1 | quiet

bold "Invitations nobody accepted yet (DocSpace)"
tf output -no-color docspace_never_joined

bold "terraform plan: nothing to do (exit code 0 expected)"
set +e; tf plan -detailed-exitcode -no-color > "$work/plan1.txt" 2>&1; code=$?; set -e
tail -n 3 "$work/plan1.txt"
[ "$code" -eq 0 ] || { echo "expected a clean plan, got exit code $code"; cat "$work/plan1.txt"; exit 1; }

bold "Someone changes membership by hand, outside Terraform"
# shellcheck source=/dev/null
source "$root/scripts/demo-out-of-band.sh"
out_of_band "$url"

bold "terraform plan: the drift is detected (exit code 2 expected)"
set +e; tf plan -detailed-exitcode -no-color > "$work/plan2.txt" 2>&1; code=$?; set -e
# Each changed resource as Terraform prints it (whole blocks, braces balanced).
sed -n '/^  # /,/^Plan:/p' "$work/plan2.txt" | quiet
[ "$code" -eq 2 ] || { echo "expected the plan to show drift, got exit code $code"; cat "$work/plan2.txt"; exit 1; }

bold "terraform destroy: offboarding"
tf destroy -auto-approve -no-color 2>&1 | quiet | grep -E '^Warning|Destroy complete' || true

bold "Requests the sandbox answered"
# /_admin/counts is {"routes":{"<platform> <METHOD> <route>":n,...},"total":n}:
# printed as a table, one route per line.
counts=$(curl -fsS "$url/_admin/counts")
printf '  %-16s %-7s %-55s %s\n' platform method route requests
grep -o '"[a-z]* [A-Z]* [^"]*":[0-9]*' <<<"$counts" | sed 's/"//g; s/{\$}//; s/:\([0-9]*\)$/ \1/' |
  while read -r platform method route n; do printf '  %-16s %-7s %-55s %5d\n' "$platform" "$method" "$route" "$n"; done
printf '  %-80s %5s\n' total "$(grep -o '"total":[0-9]*' <<<"$counts" | cut -d: -f2)"
bold "Demo complete"
