#!/usr/bin/env bash
# make bench: N invitations on one workspace against the sandbox with added
# latency (default N=1000, LATENCY=50ms), apply / plan / destroy, next to N
# terraform_data resources as the floor (terraform's own cost). Prints wall
# time and HTTP requests per phase, and the ratios to the floor.
#   N=300 LATENCY=50ms PLATFORMS="smartdocumentor docspace" PARALLELISM=10 make bench
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
N=${N:-1000}
LATENCY=${LATENCY:-50ms}
PARALLELISM=${PARALLELISM:-10}
PLATFORMS=${PLATFORMS:-"smartdocumentor docspace royalti"}
work="$root/.bench"
rm -rf "$work" && mkdir -p "$work"

[ -x "$root/bin/terraform-provider-membership" ] || (cd "$root" && go build -o bin/terraform-provider-membership .)
(cd "$root" && go build -o "$work/sandbox" ./internal/sandbox/cmd)
"$work/sandbox" -addr 127.0.0.1:0 -latency "$LATENCY" -url-file "$work/url" > "$work/sandbox.log" 2>&1 &
sandbox_pid=$!
trap 'kill $sandbox_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do [ -s "$work/url" ] && break; sleep 0.1; done
url=$(cat "$work/url")

cat > "$work/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "registry.terraform.io/workspace-membership/membership" = "$root/bin"
  }
  direct {}
}
RC
export TF_CLI_CONFIG_FILE="$work/terraformrc" TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1

resource_block() {
  case $1 in
    floor) echo 'resource "terraform_data" "m" {
  for_each = local.emails
  input    = each.value
}' ;;
    smartdocumentor) echo 'resource "membership_smartdocumentor_workspace_invitation" "m" {
  for_each     = local.emails
  workspace_id = 1
  email        = each.value
  role         = "Viewer"
}' ;;
    docspace) echo 'resource "membership_docspace_invitation" "m" {
  for_each = local.emails
  email    = each.value
  type     = "User"
}' ;;
    royalti) echo 'resource "membership_royalti_workspace_invitation" "m" {
  for_each = local.emails
  email    = each.value
  role     = "user"
}' ;;
    *) echo "unknown platform $1" >&2; exit 1 ;;
  esac
}

now() { date +%s.%N; }
requests() { curl -fsS "$url/_admin/counts" | sed -E 's/.*"total":([0-9]+).*/\1/'; }
clear_log() { curl -fsS -X DELETE "$url/_admin/requests" >/dev/null; }

declare -A WALL REQ
run_one() {
  local name=$1 dir="$work/$1"
  mkdir -p "$dir"
  cat > "$dir/main.tf" <<TF
$(sed -n '/^terraform {/,/^}/p; /^provider "membership"/,/^}/p' "$root/examples/demo/main.tf" | sed "s#\${var.sandbox_url}#$url#g")
locals {
  emails = toset([for i in range($N) : format("bench-%05d@example.com", i)])
}
$(resource_block "$name")
TF
  local phase t0 t1
  for phase in apply plan destroy; do
    clear_log
    t0=$(now)
    case $phase in
      apply) terraform -chdir="$dir" apply -auto-approve -parallelism="$PARALLELISM" -no-color > "$dir/$phase.log" 2>&1 ;;
      plan) terraform -chdir="$dir" plan -detailed-exitcode -parallelism="$PARALLELISM" -no-color > "$dir/$phase.log" 2>&1 || { c=$?; [ $c -eq 0 ] || { echo "$name: plan after apply is not empty (exit $c)"; tail -20 "$dir/$phase.log"; exit 1; }; } ;;
      destroy) terraform -chdir="$dir" destroy -auto-approve -parallelism="$PARALLELISM" -no-color > "$dir/$phase.log" 2>&1 ;;
    esac
    t1=$(now)
    WALL[$name.$phase]=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
    REQ[$name.$phase]=$(requests)
  done
}

echo "bench: N=$N, sandbox latency $LATENCY per request, terraform -parallelism=$PARALLELISM"
run_one floor
for p in $PLATFORMS; do run_one "$p"; done

{
  printf '| resource (N=%s, latency %s) | phase | wall s | HTTP requests | wall / floor |\n' "$N" "$LATENCY"
  printf '|---|---|---:|---:|---:|\n'
  for name in floor $PLATFORMS; do
    for phase in apply plan destroy; do
      ratio=$(awk -v a="${WALL[$name.$phase]}" -v b="${WALL[floor.$phase]}" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
      printf '| %s | %s | %.1f | %s | %sx |\n' "$name" "$phase" "${WALL[$name.$phase]}" "${REQ[$name.$phase]}" "$ratio"
    done
  done
} | tee "$work/results.md"
