#!/usr/bin/env bash
# drift-report: who changed outside Terraform, in a few lines, from
# Terraform's own JSON. Reads either of:
#
#   terraform plan -refresh-only -json | drift-report.sh
#       the streamed plan (also plain `terraform plan -json`): who was
#       changed or removed, without the values;
#   terraform plan -refresh-only -out=drift.tfplan
#   terraform show -json drift.tfplan | drift-report.sh
#       a saved plan: the same, with what changed (type: User -> Guest).
#
# from standard input or a file named as the argument. Prints one line per
# membership changed outside Terraform (platform, person, scope, what), or
# "No membership changed outside Terraform." Exits 0 either way (the plan's
# -detailed-exitcode says whether there is drift), and non-zero, saying
# why, when the input is not Terraform's JSON or is a plan that failed (an
# empty input is not "no drift"). Needs jq (1.6 or later).
set -euo pipefail
command -v jq >/dev/null 2>&1 || {
  echo "drift-report: jq is needed (https://jqlang.github.io/jq/download/)" >&2
  exit 1
}
input=${1:--}

# shellcheck disable=SC2016 # $variables below are jq's
jq -rs '
  def platform:
    if startswith("membership_smartdocumentor_") then "SmartDocumentor"
    elif startswith("membership_docspace_") then "DocSpace"
    elif startswith("membership_attackforge_") then "AttackForge"
    elif startswith("membership_royalti_") then "Royalti"
    elif startswith("membership_goldleaf_") then "GoldLeaf"
    else . end;
  # A for_each key names the person when it is an email address; the
  # people module keys AttackForge memberships "<project id>/<email>".
  def key_who: if type == "string" and test("@") then sub("^.*/"; "") else null end;
  def key_scope: if type == "string" and test("/.*@") then sub("/[^/]*$"; "") else null end;
  def scalar: type != "object" and type != "array";
  def show: if type == "string" then . else tojson end;
  def pad($n): if length < $n then . + (" " * ($n - length)) else . end;

  # a saved plan (terraform show -json): .resource_drift has the values
  def from_plan:
    (.resource_drift // [])[]
    | select(.mode == "managed")
    | .change as $c
    | ($c.before // {}) as $b
    | ($c.after // {}) as $a
    | {
        platform: (.type | platform),
        who: ($b.email // $b.user // (.index | key_who) // .address),
        scope: (
          if $b.project_id then "project \($b.project_id)"
          elif $b.workspace_id then "workspace \($b.workspace_id)"
          else (.index | key_scope) end
        ),
        what: (
          if ($c.actions | index("delete")) and $c.after == null then "removed outside Terraform"
          else
            [ $b | keys[] as $k
              | select($a | has($k)) | select($b[$k] != $a[$k])
              | if (($c.before_sensitive // {})[$k] // false) or (($c.after_sensitive // {})[$k] // false)
                  then "\($k) changed (sensitive)"
                elif ($b[$k] | scalar) and ($a[$k] | scalar)
                  then "\($k): \($b[$k] | show) -> \($a[$k] | show)"
                else "\($k) changed" end
            ]
            | if length == 0 then "changed outside Terraform" else join(", ") end
          end
        )
      };

  # the streamed plan (terraform plan -json): resource_drift messages
  def from_stream:
    select(type == "object" and .type == "resource_drift")
    | .change.resource as $r
    | {
        platform: ($r.resource_type | platform),
        who: (($r.resource_key | key_who) // $r.addr),
        scope: (($r.resource_key | key_scope) as $s
          | if $s and ($r.resource_type | startswith("membership_attackforge_")) then "project \($s)" else $s end),
        what: (if .change.action == "delete" then "removed outside Terraform" else "changed outside Terraform" end)
      };

  if length == 1 and (.[0] | type == "object" and has("format_version") and (has("type") | not))
  then
    if .[0].errored == true then error("drift-report: the plan failed (errored): its drift is incomplete")
    else [.[0] | from_plan] end
  elif length > 0 and all(.[]; type == "object" and has("@message")) and any(.[]; .type == "version")
  then
    [.[] | select(.type == "diagnostic" and .diagnostic.severity == "error") | .diagnostic.summary] as $errors
    | if ($errors | length) > 0 then error("drift-report: the plan failed: \($errors | join("; "))")
      else [.[] | from_stream] end
  else error("drift-report: the input is neither `terraform plan -json` nor `terraform show -json` of a saved plan")
  end
  | unique_by([.platform, .who, .scope, .what])
  | if length == 0 then "No membership changed outside Terraform."
    else
      (map(.platform | length) | max) as $pw
      | (map(.who | length) | max) as $ww
      | "\(length) membership\(if length == 1 then "" else "s" end) changed outside Terraform:",
        (.[] | "  \(.platform | pad($pw))  \(.who | pad($ww))  \(if .scope then "(\(.scope)) " else "" end)\(.what)")
    end
' "$input"
