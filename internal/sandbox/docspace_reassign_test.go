package sandbox_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/workspace-membership/terraform-provider-membership/internal/sandbox"
)

type dsProgress struct {
	ID          string  `json:"id"`
	Error       *string `json:"error"`
	Percentage  int     `json:"percentage"`
	IsCompleted bool    `json:"isCompleted"`
	Status      int     `json:"status"`
}

func progressOf(t *testing.T, r dsResp) *dsProgress {
	t.Helper()
	if string(r.Body.Response) == "null" || len(r.Body.Response) == 0 {
		return nil
	}
	var p dsProgress
	if err := json.Unmarshal(r.Body.Response, &p); err != nil {
		t.Fatal(err)
	}
	return &p
}

func (e *dsEnv) id(email string) string {
	e.t.Helper()
	u, ok := e.sb.DocSpace.User(email)
	if !ok {
		e.t.Fatalf("no user %s", email)
	}
	return u.ID
}

func asAdmin(r *http.Request) { r.Header.Set("Authorization", "Bearer "+sandbox.DocSpaceAdminToken) }

// The user data endpoints as ONLYOFFICE documents them: necessary answers
// rooms (and shared files for Guest), start refuses an active source and
// a destination that is not an active admin, progress moves one step per
// poll, completion moves the data and deletes the profile when asked, a
// failing task moves nothing, terminate cancels.
func TestDocSpaceReassign(t *testing.T) {
	e := newDS(t)
	ds := e.sb.DocSpace
	const leaver = "leaver@example.com"
	e.sb.DocSpace.AddUser(leaver, "RoomAdmin", sandbox.DSActivationActivated)
	from, to := e.id(leaver), e.id(sandbox.DocSpaceRoomAdminEmail)
	necessary := func(id, typ string) bool {
		r := e.do("GET", fmt.Sprintf("/api/2.0/people/reassign/necessary?UserId=%s&Type=%s", id, typ), "", nil)
		e.want(r, 200, "")
		var b bool
		if err := json.Unmarshal(r.Body.Response, &b); err != nil {
			t.Fatal(err)
		}
		return b
	}
	if necessary(from, "All") || necessary(from, "Guest") {
		t.Fatal("a user without data needs no reassignment")
	}
	ds.GiveData(leaver, 0, 3)
	if necessary(from, "All") || !necessary(from, "Guest") {
		t.Fatal("shared files count for Guest only")
	}
	ds.GiveData(leaver, 2, 3)
	if !necessary(from, "All") {
		t.Fatal("rooms need reassignment")
	}
	e.want(e.do("GET", "/api/2.0/people/reassign/necessary?UserId=nope&Type=All", "", nil), 400, "UserId")
	e.want(e.do("GET", "/api/2.0/people/reassign/necessary?UserId="+from+"&Type=1", "", nil), 400, "Type")

	start := func(from, to string, auth func(*http.Request)) dsResp {
		return e.do("POST", "/api/2.0/people/reassign/start", fmt.Sprintf(`{"fromUserId":%q,"toUserId":%q,"deleteProfile":true}`, from, to), auth)
	}
	// the source must be disabled first
	e.want(start(from, to, nil), 400, "Can not reassign data from user")
	ds.Terminate(leaver)
	// the destination must be an active room admin or DocSpace admin
	e.want(start(from, e.id(sandbox.DocSpaceUserEmail), nil), 400, "Can not reassign data to user")
	e.want(start(from, e.id(sandbox.DocSpaceGuestEmail), nil), 400, "Can not reassign data to user")
	e.want(start(from, "3f2a9c1e-8b7d-4e6f-a5b4-c3d2e1f0a9b8", nil), 400, "Can not reassign data to user")
	// not the owner, not oneself
	e.want(start(e.id(sandbox.DocSpaceOwnerEmail), to, nil), 400, "Can not reassign data from user")
	// a strict body
	e.want(e.do("POST", "/api/2.0/people/reassign/start", fmt.Sprintf(`{"fromUserId":%q,"toUserId":%q,"extra":1}`, from, to), nil), 400, "shape")

	r := start(from, to, nil)
	e.want(r, 200, "")
	p := progressOf(t, r)
	if p == nil || p.IsCompleted || p.Status != sandbox.DSTaskCreated {
		t.Fatalf("start answered %+v", p)
	}
	// starting again answers the queued task
	if again := progressOf(t, start(from, to, nil)); again.ID != p.ID {
		t.Fatalf("a second start made task %s, the first was %s", again.ID, p.ID)
	}
	// several polls, then the data moves and the profile is deleted
	for i := 1; ; i++ {
		r := e.do("GET", "/api/2.0/people/reassign/progress/"+from, "", nil)
		e.want(r, 200, "")
		p = progressOf(t, r)
		if p.IsCompleted {
			if i != 3 {
				t.Fatalf("completed after %d polls, want 3", i)
			}
			break
		}
		if p.Status != sandbox.DSTaskRunning || i > 3 {
			t.Fatalf("poll %d: %+v", i, p)
		}
	}
	if p.Status != sandbox.DSTaskCompleted || p.Percentage != 100 || p.Error != nil {
		t.Fatalf("final progress %+v", p)
	}
	if _, ok := ds.User(leaver); ok {
		t.Fatal("deleteProfile: the profile is still there")
	}
	if ra, _ := ds.User(sandbox.DocSpaceRoomAdminEmail); ra.Rooms != 2 || ra.SharedFiles != 3 {
		t.Fatalf("the destination owns %d rooms and %d shared files, want 2 and 3", ra.Rooms, ra.SharedFiles)
	}
	if l := ds.DataLosses(); len(l) != 0 {
		t.Fatalf("data lost: %+v", l)
	}

	// a failing reassignment stops with its error and moves nothing
	const other = "other@example.com"
	ds.AddUser(other, "User", sandbox.DSActivationActivated)
	ds.GiveData(other, 1, 0)
	ds.Terminate(other)
	ds.FailReassign(other, "storage quota exceeded")
	oid := e.id(other)
	e.want(start(oid, to, nil), 200, "")
	for i := 0; i < 5 && (p == nil || !p.IsCompleted || p.Status != sandbox.DSTaskFailed); i++ {
		p = progressOf(t, e.do("GET", "/api/2.0/people/reassign/progress/"+oid, "", nil))
	}
	if p.Status != sandbox.DSTaskFailed || p.Error == nil || *p.Error != "storage quota exceeded" {
		t.Fatalf("failed task %+v", p)
	}
	if u, ok := ds.User(other); !ok || u.Rooms != 1 {
		t.Fatalf("a failed reassignment moved data or deleted the profile: %+v %v", u, ok)
	}

	// terminate cancels and removes the task
	ds.FailReassign(other, "")
	e.want(start(oid, to, nil), 200, "")
	r = e.do("PUT", "/api/2.0/people/reassign/terminate", fmt.Sprintf(`{"userId":%q}`, oid), nil)
	e.want(r, 200, "")
	if p := progressOf(t, r); p == nil || p.Status != sandbox.DSTaskCanceled || !p.IsCompleted {
		t.Fatalf("terminate answered %+v", p)
	}
	if p := progressOf(t, e.do("GET", "/api/2.0/people/reassign/progress/"+oid, "", nil)); p != nil {
		t.Fatalf("a terminated task is still reported: %+v", p)
	}
	if p := progressOf(t, e.do("PUT", "/api/2.0/people/reassign/terminate", fmt.Sprintf(`{"userId":%q}`, oid), nil)); p != nil {
		t.Fatalf("terminate without a task answered %+v", p)
	}

	// deleting a user who owns data drops it
	e.want(e.do("DELETE", "/api/2.0/people/"+oid, "", nil), 200, "")
	if l := ds.DataLosses(); len(l) != 1 || l[0].Email != other || l[0].Rooms != 1 {
		t.Fatalf("losses %+v", l)
	}
}

// Only DocSpace admins handle user data, and only the owner that of a
// DocSpace admin (the vendor's userData API tests).
func TestDocSpaceReassignPermissions(t *testing.T) {
	e := newDS(t)
	ds := e.sb.DocSpace
	to := e.id(sandbox.DocSpaceRoomAdminEmail)
	const admin2 = "admin2@example.com"
	ds.AddUser(admin2, "DocSpaceAdmin", sandbox.DSActivationActivated)
	ds.Terminate(admin2)
	a2 := e.id(admin2)
	// a DocSpace admin who is not the owner: not the data of another admin
	e.want(e.do("GET", "/api/2.0/people/reassign/necessary?UserId="+a2+"&Type=All", "", asAdmin), 403, "Access denied")
	e.want(e.do("GET", "/api/2.0/people/reassign/progress/"+a2, "", asAdmin), 403, "Access denied")
	e.want(e.do("PUT", "/api/2.0/people/reassign/terminate", fmt.Sprintf(`{"userId":%q}`, a2), asAdmin), 403, "Access denied")
	e.want(e.do("POST", "/api/2.0/people/reassign/start", fmt.Sprintf(`{"fromUserId":%q,"toUserId":%q}`, a2, to), asAdmin), 400, "Can not reassign data from user")
	// the owner may
	e.want(e.do("POST", "/api/2.0/people/reassign/start", fmt.Sprintf(`{"fromUserId":%q,"toUserId":%q}`, a2, to), nil), 200, "")
	e.want(e.do("GET", "/api/2.0/people/reassign/progress/not-a-guid", "", nil), 404, "")
	// a room admin may do nothing
	ds.SetType(sandbox.DocSpaceAdminEmail, "RoomAdmin")
	u := e.id(sandbox.DocSpaceUserEmail)
	e.want(e.do("GET", "/api/2.0/people/reassign/necessary?UserId="+u+"&Type=All", "", asAdmin), 403, "Access denied")
	e.want(e.do("GET", "/api/2.0/people/reassign/progress/"+u, "", asAdmin), 403, "Access denied")
	e.want(e.do("PUT", "/api/2.0/people/reassign/terminate", fmt.Sprintf(`{"userId":%q}`, u), asAdmin), 403, "Access denied")
	e.want(e.do("POST", "/api/2.0/people/reassign/start", fmt.Sprintf(`{"fromUserId":%q,"toUserId":%q}`, u, to), asAdmin), 403, "Access denied")
}

// PUT people/invite as resendUserInvites documents it: only accounts that
// have not joined get an email, the answer lists every targeted account
// (not a delivery report), resendAll needs an admin, a user may list only
// themselves.
func TestDocSpaceResendInvites(t *testing.T) {
	e := newDS(t)
	ds := e.sb.DocSpace
	ds.AddUser("pending@example.com", "User", sandbox.DSActivationPending)
	ds.AddUser("gone@example.com", "User", sandbox.DSActivationPending)
	ds.Terminate("gone@example.com")
	p, j, g := e.id("pending@example.com"), e.id(sandbox.DocSpaceUserEmail), e.id("gone@example.com")
	r := e.do("PUT", "/api/2.0/people/invite", fmt.Sprintf(`{"userIds":[%q,%q,%q],"resendAll":false}`, p, j, g), nil)
	e.want(r, 200, "")
	if got := users(t, r); len(got) != 3 {
		t.Fatalf("the answer lists %d accounts, want the 3 targeted", len(got))
	}
	resent := func(email string) int { u, _ := ds.User(email); return u.Resent }
	if resent("pending@example.com") != 1 || resent(sandbox.DocSpaceUserEmail) != 0 || resent("gone@example.com") != 0 {
		t.Fatal("only the pending account gets the invitation again")
	}
	e.want(e.do("PUT", "/api/2.0/people/invite", `{"userIds":["nope"],"resendAll":false}`, nil), 400, "userIds")
	e.want(e.do("PUT", "/api/2.0/people/invite", `{"userIds":[],"resend":true}`, nil), 400, "shape")
	// resendAll reaches every pending account the caller may invite
	e.want(e.do("PUT", "/api/2.0/people/invite", `{"userIds":[],"resendAll":true}`, nil), 200, "")
	if resent("pending@example.com") != 2 || resent(sandbox.DocSpaceGuestEmail) != 1 {
		t.Fatal("resendAll missed a pending account")
	}
	// a user may not re-send others' invitations, nor everyone's
	ds.SetType(sandbox.DocSpaceAdminEmail, "User")
	e.want(e.do("PUT", "/api/2.0/people/invite", fmt.Sprintf(`{"userIds":[%q],"resendAll":false}`, p), asAdmin), 403, "Access denied")
	e.want(e.do("PUT", "/api/2.0/people/invite", `{"userIds":[],"resendAll":true}`, asAdmin), 403, "Access denied")
}
