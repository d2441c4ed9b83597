#!/usr/bin/env bash
# make bench: N invitations on one workspace against the sandbox with added
# latency (default N=1000, LATENCY=50ms), apply / plan / destroy, next to N
# terraform_data resources as the floor (terraform's own cost). Prints wall
# time, HTTP requests and the provider's peak RSS per phase, and the ratios to
# the floor. With SWEEP="100 300 1000 3000" it measures instead the request
# count of a refresh (plan) at each N, which must stay at the listing's pages.
# BENCH_PROFILE=1 keeps a heap profile (taken after a collection) and CPU
# profiles (5 s windows) of the provider per phase in .bench/.
# ROUNDS=3 interleaves three rounds and reports medians with their spread.
#   N=300 LATENCY=50ms PLATFORMS="smartdocumentor,docspace" PARALLELISM=10 ROUNDS=3 make bench
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
N=${N:-1000}
LATENCY=${LATENCY:-50ms}
PARALLELISM=${PARALLELISM:-10}
KNOWN="smartdocumentor docspace attackforge royalti"
PLATFORMS=${PLATFORMS:-$KNOWN}
PLATFORMS=${PLATFORMS//,/ }
for p in $PLATFORMS; do
  case " $KNOWN " in
    *" $p "*) ;;
    *) echo "bench: unknown platform '$p' in PLATFORMS (known: $KNOWN; separate them by spaces or commas)" >&2; exit 2 ;;
  esac
done
[ -n "${PLATFORMS// /}" ] || { echo "bench: PLATFORMS is empty (known: $KNOWN)" >&2; exit 2; }
case $N in ''|*[!0-9]*|0) echo "bench: N must be a positive number, got '$N'" >&2; exit 2 ;; esac
ROUNDS=${ROUNDS:-1}
case $ROUNDS in ''|*[!0-9]*|0) echo "bench: ROUNDS must be a positive number, got '$ROUNDS'" >&2; exit 2 ;; esac
SWEEP=${SWEEP:-}
# The provider paces each platform's requests on the client (DocSpace 45 a
# second, the others 25). The bench measures the provider and Terraform,
# not those limits, so it lifts them unless RATE_LIMITS=default (which
# shows what a real apply at the default pace costs) or a
# <PLATFORM>_REQUESTS_PER_SECOND / _BURST is set already.
if [ "${RATE_LIMITS:-}" != default ]; then
  for v in SMARTDOCUMENTOR DOCSPACE ATTACKFORGE GOLDLEAF ROYALTI; do
    eval ": \"\${${v}_REQUESTS_PER_SECOND:=100000}\" \"\${${v}_BURST:=100000}\""
    export "${v}_REQUESTS_PER_SECOND" "${v}_BURST"
  done
fi
work=${BENCH_DIR:-"$root/.bench"}
rm -rf "$work" && mkdir -p "$work" && work=$(cd "$work" && pwd)

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
    attackforge) echo 'resource "membership_attackforge_project_team_member" "m" {
  for_each     = local.af_users
  project_id   = "650f1707c66ef8821d35ee02"
  user         = each.value
  access_level = "View"
  project_role = "Pentester"
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
clear_log() { curl -fsS -X DELETE "$url/_admin/requests" >/dev/null; }

# Peak resident memory of the provider process while a phase runs (VmHWM
# from /proc, polled every 0.1 s; the provider is the process terraform starts from bin/,
# in the phase's directory: another bench running beside is not counted).
watch_rss() {
  local peak=0 pid hwm
  while :; do
    for pid in $(pgrep -f "^$root/bin/terraform-provider-membership" || true); do
      [ "$(readlink "/proc/$pid/cwd" 2>/dev/null)" = "$2" ] || continue
      hwm=$(awk '/^VmHWM/ { print $2 }' "/proc/$pid/status" 2>/dev/null || echo 0)
      [ "${hwm:-0}" -gt "$peak" ] && peak=$hwm && echo "$peak" > "$1"
    done
    sleep 0.1
  done
}


# route_sum FILE REGEX: the requests of a phase (FILE, its routes.json) whose
# route ("<platform> <METHOD> <pattern>") matches REGEX.
route_sum() {
  { grep -oE '"[^"]+":[0-9]+' "$1" || true; } | awk -F'":' -v re="$2" 'substr($1, 2) ~ re { s += $2 } END { print s + 0 }'
}
# A request for one member rather than a listing: its route names a member.
PER_MEMBER='\{(id|email|userId|username)\}'

# verdict MEASURED LIMIT: "met" or by how much MEASURED exceeds LIMIT.
verdict() {
  awk -v m="$1" -v l="$2" 'BEGIN { if (m <= l) print "met"; else printf "missed by %.0f%%\n", (m / l - 1) * 100 }'
}

# ratio NAME N PHASE: the wall time of a phase over the floor's.
ratio() {
  awk -v a="${WALL[$1.$2.$3]}" -v b="${WALL[floor.$2.$3]}" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'
}

# Why a target is missed, where the reason is structural (README, Performance).
wall_why() {
  local why="the framework's CPU per RPC (make bench-rpc) competes with Terraform's on this machine"
  case $1 in
    plan) echo "$why" ;;
    *) echo "$why, plus each resource's requests and batch window" ;;
  esac
}
# refresh_verdict PLATFORM ROUTES: whether a refresh (ROUTES, its
# routes.json) sent a request per member, and why where that is known.
refresh_verdict() {
  [ "$(route_sum "$2" "$PER_MEMBER")" -eq 0 ] && { echo met; return; }
  case $1 in
    attackforge) echo "missed: the API has no team listing: one GET user/{id}/projects per member" ;;
    *) echo "missed: a per-member read in a refresh is a bug: see $2" ;;
  esac
}
apply_why() {
  case $1 in
    royalti) awk -v i="$(route_sum "$2" 'POST /auth/invite')" -v r="$(route_sum "$2" 'GET /user/\{\$\}')" 'BEGIN { printf "%d invites (one email each), %d shared reads serving %.1f creates each: Terraform starts creates as slots free, and a read starts when no invitation is in flight", i, r, (r > 0 ? i / r : 0) }' ;;
    *) echo "see $2" ;;
  esac
}

declare -A WALL REQ RSS RUNS
run_one() {
  local name=$1 n=$2 dir="$work/$1-$2"
  mkdir -p "$dir"
  # A fresh sandbox for each run; reset also clears the latency, so set it again.
  curl -fsS -X POST "$url/_admin/reset" >/dev/null
  curl -fsS -X PUT "$url/_admin/latency" -d "{\"latency\":\"$LATENCY\"}" >/dev/null
  if [ "$name" = attackforge ]; then
    # AttackForge invites existing users only: create user0001... first.
    curl -fsS -X POST "$url/_admin/attackforge/users" -d "{\"count\":$n,\"email\":\"x@bench.example.com\"}" >/dev/null
  fi
  cat > "$dir/main.tf" <<TF
$(sed -n '/^terraform {/,/^}/p; /^provider "membership"/,/^}/p' "$root/examples/demo/main.tf" | sed "s#\${var.sandbox_url}#$url#g")
locals {
  # range() stops at 1024 values: thousands come in blocks of 1000.
  ids      = flatten([for a in range(ceil($n / 1000)) : [for b in range(min(1000, $n - a * 1000)) : a * 1000 + b]])
  emails   = toset([for i in local.ids : format("bench-%05d@example.com", i)])
  af_users = toset([for i in local.ids : format("user%04d@bench.example.com", i + 1)])
}
$(resource_block "$name")
TF
  local phase t0 t1 rss_pid
  for phase in apply plan destroy; do
    [ -n "$SWEEP" ] && [ "$phase" = destroy ] && continue
    clear_log
    rm -f "$dir/rss"
    # BENCH_PROFILE=1: the provider writes its heap profile every second
    # (go tool pprof -sample_index=inuse_space bin/terraform-provider-membership <file>).
    [ -n "${BENCH_PROFILE:-}" ] && export MEMBERSHIP_HEAP_PROFILE="$dir/heap-$phase.pprof" MEMBERSHIP_CPU_PROFILE="$dir/cpu-$phase.pprof"
    watch_rss "$dir/rss" "$dir" >/dev/null & rss_pid=$!
    t0=$(now)
    case $phase in
      apply) terraform -chdir="$dir" apply -auto-approve -parallelism="$PARALLELISM" -no-color > "$dir/$phase.log" 2>&1 ;;
      plan) terraform -chdir="$dir" plan -detailed-exitcode -parallelism="$PARALLELISM" -no-color > "$dir/$phase.log" 2>&1 || { c=$?; [ $c -eq 0 ] || { kill "$rss_pid" 2>/dev/null; echo "$name: plan after apply is not empty (exit $c)"; tail -20 "$dir/$phase.log"; exit 1; }; } ;;
      destroy) terraform -chdir="$dir" destroy -auto-approve -parallelism="$PARALLELISM" -no-color > "$dir/$phase.log" 2>&1 ;;
    esac
    t1=$(now)
    kill "$rss_pid" 2>/dev/null; wait "$rss_pid" 2>/dev/null || true
    WALL[$name.$n.$phase]=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
    RUNS[$name.$n.$phase]+="${WALL[$name.$n.$phase]} "
    # Requests per route (where the requests of a phase went) and in all.
    curl -fsS "$url/_admin/counts" > "$dir/$phase.routes.json"
    REQ[$name.$n.$phase]=$(sed -E 's/.*"total":([0-9]+).*/\1/' "$dir/$phase.routes.json")
    rss=$(( $(cat "$dir/rss" 2>/dev/null || echo 0) / 1024 )) # the highest of the rounds
    [ "$rss" -ge "${RSS[$name.$n.$phase]:-0}" ] && RSS[$name.$n.$phase]=$rss
    if [ "$phase" = apply ]; then
      # A configuration that creates nothing must not pass for a fast one.
      got=$(terraform -chdir="$dir" state list 2>/dev/null | grep -c '\.m\[' || true)
      [ "$got" -eq "$n" ] || { echo "bench: $name apply left $got of $n resources in state" >&2; tail -20 "$dir/apply.log" >&2; exit 1; }
      if [ "$name" != floor ] && [ "${REQ[$name.$n.$phase]}" -eq 0 ]; then
        echo "bench: $name apply sent no request to the sandbox" >&2; exit 1
      fi
    fi
  done
}

if [ -n "$SWEEP" ]; then
  echo "bench: refresh requests at N in {$SWEEP}, sandbox latency $LATENCY, terraform -parallelism=$PARALLELISM"
  printf '| platform | N | refresh (plan) requests | apply requests | plan peak RSS MB |\n|---|---:|---:|---:|---:|\n' | tee "$work/sweep.md"
  for p in $PLATFORMS; do
    for n in $SWEEP; do
      run_one "$p" "$n" >&2
      printf '| %s | %s | %s | %s | %s |\n' "$p" "$n" "${REQ[$p.$n.plan]}" "${REQ[$p.$n.apply]}" "${RSS[$p.$n.plan]}" | tee -a "$work/sweep.md"
    done
  done
  echo
  {
    echo "Targets: a refresh costs the listing's pages (no request per member at any N); peak RSS of a plan under 64 MB, and at most 1.5x its N=100 figure."
    printf '| platform | N | per-member requests in refresh | refresh | plan peak RSS MB | RSS |\n|---|---:|---:|---|---:|---|\n'
    for p in $PLATFORMS; do
      base=""
      for n in $SWEEP; do [ "$n" = 100 ] && base=${RSS[$p.100.plan]}; done
      for n in $SWEEP; do
        per=$(route_sum "$work/$p-$n/plan.routes.json" "$PER_MEMBER")
        rv=$(refresh_verdict "$p" "$work/$p-$n/plan.routes.json")
        mv=$(verdict "${RSS[$p.$n.plan]}" 64)
        if [ -n "$base" ] && [ "$base" -gt 0 ] && [ "$mv" = met ]; then
          mv="$(verdict "${RSS[$p.$n.plan]}" "$(awk -v b="$base" 'BEGIN { print b * 1.5 }')") ($(awk -v a="${RSS[$p.$n.plan]}" -v b="$base" 'BEGIN { printf "%.2f", a / b }')x N=100)"
        fi
        printf '| %s | %s | %s | %s | %s | %s |\n' "$p" "$n" "$per" "$rv" "${RSS[$p.$n.plan]}" "$mv"
      done
    done
  } | tee "$work/targets.md"
  exit 0
fi

echo "bench: N=$N, sandbox latency $LATENCY per request, terraform -parallelism=$PARALLELISM"
# ROUNDS rounds, each the floor then every platform, and the floor once
# more at the end; each wall time is the median of its runs, with their
# spread (requests and routes are the last round's, peak RSS the highest
# of the rounds). The machine's speed drifts (other tenants, the disk Terraform
# writes its state to): interleaved rounds expose that instead of letting a
# floor measured in a slow (or fast) moment skew every ratio.
for r in $(seq 1 "$ROUNDS"); do
  [ "$ROUNDS" -gt 1 ] && echo "round $r of $ROUNDS"
  run_one floor "$N"
  for p in $PLATFORMS; do run_one "$p" "$N"; done
done
run_one floor "$N"
median() { tr ' ' '\n' <<<"$1" | grep . | sort -g | awk '{ v[NR] = $1 } END { printf "%.2f", (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
spread() { tr ' ' '\n' <<<"$1" | grep . | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.1f-%.1f", lo, hi }'; }
for name in floor $PLATFORMS; do
  for phase in apply plan destroy; do
    WALL[$name.$N.$phase]=$(median "${RUNS[$name.$N.$phase]}")
  done
done

{
  printf '| resource (N=%s, latency %s, %s round(s)) | phase | wall s (median) | runs (min-max) | HTTP requests | provider peak RSS MB | wall / floor |\n' "$N" "$LATENCY" "$ROUNDS"
  printf '|---|---|---:|---:|---:|---:|---:|\n'
  for name in floor $PLATFORMS; do
    for phase in apply plan destroy; do
      ratio=$(ratio "$name" "$N" "$phase")
      rss=${RSS[$name.$N.$phase]}; [ "$name" = floor ] && rss=-
      printf '| %s | %s | %.1f | %s | %s | %s | %sx |\n' "$name" "$phase" "${WALL[$name.$N.$phase]}" "$(spread "${RUNS[$name.$N.$phase]}")" "${REQ[$name.$N.$phase]}" "$rss" "$ratio"
    done
  done
} | tee "$work/results.md"

# The targets, met or by how much missed, and why where the reason is known.
echo
{
  echo "Targets at N=$N: every phase within 1.15x of the floor; apply requests at most N invites + N/10 listing pages + the PATCHes; a refresh costs the listing's pages (no request per member); provider peak RSS under 64 MB."
  printf '| platform | phase | target | measured | verdict |\n|---|---|---|---:|---|\n'
  for name in $PLATFORMS; do
    for phase in apply plan destroy; do
      ratio=$(ratio "$name" "$N" "$phase")
      v=$(verdict "$ratio" 1.15); [ "$v" = met ] || v="$v: $(wall_why "$phase")"
      printf '| %s | %s | wall within 1.15x of the floor | %sx | %s |\n' "$name" "$phase" "$ratio" "$v"
    done
    f="$work/$name-$N/apply.routes.json"
    patches=$(route_sum "$f" ' PATCH ')
    limit=$(( N + (N + 9) / 10 + patches ))
    v=$(verdict "${REQ[$name.$N.apply]}" "$limit"); [ "$v" = met ] || v="$v: $(apply_why "$name" "$f")"
    printf '| %s | apply | requests at most %s (N + N/10 + %s PATCH) | %s | %s |\n' "$name" "$limit" "$patches" "${REQ[$name.$N.apply]}" "$v"
    per=$(route_sum "$work/$name-$N/plan.routes.json" "$PER_MEMBER")
    v=$(refresh_verdict "$name" "$work/$name-$N/plan.routes.json")
    printf '| %s | plan | no request per member in a refresh (%s requests in all) | %s per member | %s |\n' "$name" "${REQ[$name.$N.plan]}" "$per" "$v"
    peak=0; for phase in apply plan destroy; do [ "${RSS[$name.$N.$phase]}" -gt "$peak" ] && peak=${RSS[$name.$N.$phase]}; done
    printf '| %s | all | provider peak RSS under 64 MB | %s MB | %s |\n' "$name" "$peak" "$(verdict "$peak" 64)"
  done
} | tee "$work/targets.md"
