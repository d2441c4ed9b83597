# Out-of-band changes made by `make demo` between two plans, through the
# sandbox's admin API: what an admin clicking in each platform's web UI
# would do. The plan after them shows each one (GoldLeaf excepted: its API
# cannot read users, so drift there cannot be detected, as documented).
out_of_band() {
  local url=$1
  say() { printf '  - %s\n' "$*"; }
  say "SmartDocumentor: jane.doe@example.com removed from workspace 1 (plan: invite again)"
  curl -fsS -X DELETE "$url/_admin/smartdocumentor/workspaces/1/users/jane.doe@example.com" >/dev/null
  # AttackForge's API cannot read a member's access level or project role, so
  # only a removal shows as drift there.
  say "AttackForge: alice@example.com removed from Internal Network (plan: invite again)"
  curl -fsS -X DELETE "$url/_admin/attackforge/projects/650f1707c66ef8821d35ee02/team/alice@example.com" >/dev/null
  say "AttackForge: erin@example.com added to Red Team Exercise (plan: erin leaves unlisted_members, which removes her)"
  curl -fsS -X PUT "$url/_admin/attackforge/projects/650f1707c66ef8821d35ee03/team/erin@example.com" -d '{"access_level":"Edit"}' >/dev/null
  say "Royalti: ada@example.com demoted to user (plan: update in place back to admin)"
  curl -fsS -X POST "$url/_admin/royalti/users/ada@example.com/role" -d '{"role":"user"}' >/dev/null
  say "DocSpace: dana@example.com made a Guest (plan: update in place back to RoomAdmin)"
  curl -fsS -X PUT "$url/_admin/docspace/users/dana@example.com/type" -d '{"type":"Guest"}' >/dev/null
  say "GoldLeaf: grace@goldleaf.example removed (plan: nothing, GoldLeaf has no API to read users)"
  curl -fsS -X DELETE "$url/_admin/goldleaf/users/grace@goldleaf.example" >/dev/null
}
