package sandbox

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// Seeding, to try things by hand against accounts the size of a platform
// team's: `make sandbox SEED=200` (the command's -seed flag) and
// POST /_admin/seed {"per_platform": 200} add N members to every platform,
// or {"per_platform": 200, "platforms": ["docspace"]} to the ones named.
// The members look like real accounts: mixed roles, types and access
// levels, emails in mixed case, some invited and not yet joined.
//
// Seeding is idempotent: members are numbered 1..N and those already there
// are left as they are, so seeding 300 after 200 adds members 201 to 300.
// POST /_admin/reset removes them with everything else.

// MaxSeed is the most members one seeding adds to a platform (the state is
// in memory).
const MaxSeed = 5000

// Platforms names the five platforms, as the prefixes, the request log and
// /_admin/seed name them.
var Platforms = []string{"smartdocumentor", "docspace", "attackforge", "goldleaf", "royalti"}

// Where seeded members go, on the platforms that have more than one place.
const (
	// SeedSmartDocumentorWorkspace is the workspace seeded members join.
	SeedSmartDocumentorWorkspace = 1
	// SeedAttackForgeProject is the project whose team most seeded users
	// join (the others exist but are on no team).
	SeedAttackForgeProject = AFProjectNetwork
)

// Seeded says what seeding did on one platform.
type Seeded struct {
	Platform string `json:"platform"`
	// Where is where the members are ("workspace 1 \"Default\"").
	Where string `json:"where"`
	// Members is how many of the numbered members 1..N are there now;
	// Added how many of them this seeding added.
	Members int `json:"members"`
	Added   int `json:"added"`
	// Kinds counts the members by role, type or access level.
	Kinds map[string]int `json:"kinds"`
	// Pending counts the members invited who have not joined yet.
	Pending int `json:"pending"`
	// Sample is the first members' emails, as the platform lists them.
	Sample []string `json:"sample"`
	// Note is anything else worth knowing about this platform's members.
	Note string `json:"note,omitempty"`
}

// String is the one-line summary `make sandbox` prints.
func (s Seeded) String() string {
	keys := make([]string, 0, len(s.Kinds))
	for k := range s.Kinds {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	kinds := make([]string, 0, len(keys))
	for _, k := range keys {
		kinds = append(kinds, fmt.Sprintf("%d %s", s.Kinds[k], k))
	}
	out := fmt.Sprintf("%s: %d members in %s (%d added): %s; %d pending", s.Platform, s.Members, s.Where, s.Added, strings.Join(kinds, ", "), s.Pending)
	if len(s.Sample) > 0 {
		out += "; e.g. " + strings.Join(s.Sample, ", ")
	}
	if s.Note != "" {
		out += ". " + s.Note
	}
	return out
}

// seedEmail is the email of the i-th seeded member: prefix and number, in
// three letter cases in turn ("Member003@Example.com",
// "member004@EXAMPLE.com", "member005@example.com"), as people type them.
func seedEmail(prefix string, i int) string {
	switch i % 3 {
	case 0:
		return fmt.Sprintf("%s%03d@Example.com", strings.ToUpper(prefix[:1])+prefix[1:], i)
	case 1:
		return fmt.Sprintf("%s%03d@EXAMPLE.com", prefix, i)
	}
	return fmt.Sprintf("%s%03d@example.com", prefix, i)
}

// Seed adds members 1..n to each platform named (every platform when none
// is), and says what it did, platform by platform.
func (s *Sandbox) Seed(n int, platforms ...string) ([]Seeded, error) {
	if n < 1 || n > MaxSeed {
		return nil, fmt.Errorf("the number of members per platform must be from 1 to %d, not %d", MaxSeed, n)
	}
	want := map[string]bool{}
	for _, p := range platforms {
		if !slices.Contains(Platforms, p) {
			return nil, fmt.Errorf("unknown platform %q: the platforms are %s", p, strings.Join(Platforms, ", "))
		}
		want[p] = true
	}
	var out []Seeded
	for _, p := range Platforms {
		if len(want) > 0 && !want[p] {
			continue
		}
		switch p {
		case "smartdocumentor":
			out = append(out, s.SmartDocumentor.seed(n))
		case "docspace":
			out = append(out, s.DocSpace.seed(n))
		case "attackforge":
			out = append(out, s.AttackForge.seed(n))
		case "goldleaf":
			out = append(out, s.GoldLeaf.seed(n))
		case "royalti":
			out = append(out, s.Royalti.seed(n))
		}
	}
	return out, nil
}

// adminSeed is POST /_admin/seed {"per_platform": N, "platforms": [...]}.
func (s *Sandbox) adminSeed(w http.ResponseWriter, r *http.Request) {
	var body struct {
		PerPlatform int      `json:"per_platform"`
		Platforms   []string `json:"platforms"`
	}
	if err := decodeStrict(r, &body); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error() + `; the body is {"per_platform": 200} or {"per_platform": 200, "platforms": ["docspace"]}`})
		return
	}
	out, err := s.Seed(body.PerPlatform, body.Platforms...)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// seedStats gathers the Seeded of one platform as its members are visited.
type seedStats struct{ Seeded }

func newSeedStats(platform, where string) *seedStats {
	return &seedStats{Seeded{Platform: platform, Where: where, Kinds: map[string]int{}}}
}

func (st *seedStats) member(email, kind string, pending bool) {
	st.Members++
	st.Kinds[kind]++
	if pending {
		st.Pending++
	}
	if len(st.Sample) < 3 {
		st.Sample = append(st.Sample, email)
	}
}

// seed adds members 1..n to workspace 1 "Default" (SeedMembers): roles in
// turn through the tenant's roles, every fifth pending (Invited).
func (p *SmartDocumentor) seed(n int) Seeded {
	ws := SeedSmartDocumentorWorkspace
	before := len(p.Members(ws))
	p.SeedMembers(ws, n)
	p.mu.Lock()
	defer p.mu.Unlock()
	name := ""
	for _, w := range p.workspaces {
		if w.WorkspaceID == ws {
			name = w.WorkspaceName
		}
	}
	st := newSeedStats("smartdocumentor", fmt.Sprintf("workspace %d %q", ws, name))
	st.Added = len(p.members[ws]) - before
	for i := 1; i <= n; i++ {
		if j := p.memberIndexLocked(ws, seedEmail("member", i)); j >= 0 {
			m := p.members[ws][j]
			u := p.userByIDLocked(m.UserID)
			st.member(u.Email, m.Role, u.Status == "Invited")
		}
	}
	return st.Seeded
}

// seed adds people 1..n to the portal (SeedPeople): types User, RoomAdmin,
// Guest and DocSpaceAdmin in turn, every fifth pending. A portal with that
// many admins has bought the seats: the admin seat quota is raised to
// leave five free.
func (p *DocSpace) seed(n int) Seeded {
	added := len(p.SeedPeople(n))
	p.mu.Lock()
	defer p.mu.Unlock()
	st := newSeedStats("docspace", "the portal")
	st.Added = added
	for i := 1; i <= n; i++ {
		if u := p.byEmailLocked(seedEmail("person", i)); u != nil {
			st.member(u.Email, u.Type, u.ActivationStatus == DSActivationPending)
		}
	}
	if paid := p.paidSeatsLocked(); paid+5 > p.adminQuota {
		p.adminQuota = paid + 5
		st.Note = fmt.Sprintf("The admin seat quota (DocSpaceAdmin and RoomAdmin) is now %d, %d of them taken.", p.adminQuota, paid)
	}
	return st.Seeded
}

// seed adds users analyst001..n (platform roles consultant, client and
// projectoperator in turn) and puts three in four of them on the team of
// project "Internal Network" with access levels View, Upload and Edit in
// turn and most with a project role; every fourth user exists but is on no
// project team. AttackForge users have no pending state.
func (p *AttackForge) seed(n int) Seeded {
	p.mu.Lock()
	defer p.mu.Unlock()
	proj := p.projects[SeedAttackForgeProject]
	st := newSeedStats("attackforge", fmt.Sprintf("the instance, teams on project %s %q", proj.ID, proj.Name))
	byName := map[string]*AFUser{}
	for _, u := range p.users {
		byName[strings.ToLower(u.Username)] = u
	}
	roles := []string{"consultant", "consultant", "client", "projectoperator"}
	levels := []string{"View", "Upload", "Edit"}
	offTeam := 0
	for i := 1; i <= n; i++ {
		name := fmt.Sprintf("analyst%03d", i)
		u := byName[name]
		if u == nil {
			id := newObjectID()
			u = &AFUser{ID: id, Username: name, Email: seedEmail("analyst", i), FirstName: "Analyst", LastName: fmt.Sprint(i), Role: roles[i%len(roles)], Status: "Active"}
			p.users[id] = u
			byName[name] = u
			st.Added++
			if i%4 != 0 {
				role := ""
				if i%5 != 0 {
					role = AFProjectRoles[i%len(AFProjectRoles)]
				}
				proj.Team[id] = &AFMember{UserID: id, AccessLevel: levels[i%len(levels)], ProjectRole: role}
			}
		}
		if m := proj.Team[u.ID]; m != nil {
			st.member(u.Email, m.AccessLevel, false)
		} else {
			st.Members++
			offTeam++
		}
	}
	st.Kinds["on no project team"] = offTeam
	st.Note = "Users of the instance; access levels are per project. AttackForge has no pending invitations."
	return st.Seeded
}

// seed adds members staff001..n to the organization, every fifth invited
// (without a password) and the others active.
func (p *GoldLeaf) seed(n int) Seeded {
	p.mu.Lock()
	defer p.mu.Unlock()
	st := newSeedStats("goldleaf", "the organization")
	for i := 1; i <= n; i++ {
		email := seedEmail("staff", i)
		k := strings.ToLower(email)
		u := p.users[k]
		if u == nil {
			u = &GoldLeafUser{Email: email, Status: "active", PasswordSet: true, Invitations: 1}
			if i%5 == 0 {
				u.Status, u.PasswordSet = "invited", false
			}
			p.users[k] = u
			st.Added++
		}
		st.member(u.Email, u.Status, u.Status == "invited")
	}
	st.Note = "GoldLeaf's API lists no users: inviting an active one fails, an invited one is invited again."
	return st.Seeded
}

// seed adds tenant users artist001..n to the workspace: every third an
// admin, the others users; every fourth invited and not joined, every
// twenty-fifth cancelled, the others joined with their names.
func (p *Royalti) seed(n int) Seeded {
	p.mu.Lock()
	defer p.mu.Unlock()
	st := newSeedStats("royalti", "workspace "+RoyaltiWorkspaceID)
	byEmail := map[string]*RoyaltiUser{}
	for _, u := range p.users {
		byEmail[strings.ToLower(u.Email)] = u
	}
	cancelled := 0
	for i := 1; i <= n; i++ {
		email := seedEmail("artist", i)
		u := byEmail[strings.ToLower(email)]
		if u == nil {
			role, status, first, last := "user", "joined", "Artist", fmt.Sprint(i)
			if i%3 == 0 {
				role = "admin"
			}
			switch {
			case i%25 == 0:
				status, first, last = "cancelled", "", ""
			case i%4 == 0:
				status, first, last = "invited", "", ""
			}
			now := p.nowLocked()
			u = &RoyaltiUser{ID: newUUID(), Email: email, FirstName: first, LastName: last, Role: role, Created: now,
				Invite: &RoyaltiInvite{ID: newUUID(), Status: status, Date: now, SendEmail: true}}
			p.addLocked(u)
			byEmail[strings.ToLower(email)] = u
			st.Added++
		}
		if u.Invite != nil && u.Invite.Status == "cancelled" {
			cancelled++
		}
		st.member(u.Email, u.Role, u.Invite != nil && u.Invite.Status == "invited")
	}
	if cancelled > 0 {
		st.Note = fmt.Sprintf("%d of them with a cancelled invitation.", cancelled)
	}
	return st.Seeded
}
