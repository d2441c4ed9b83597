package docspace

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/workspace-membership/terraform-provider-membership/internal/sandbox"
)

// fastWait polls without waiting long, so the tests do not depend on time.
var fastWait = ReassignWait{First: time.Millisecond, Max: 2 * time.Millisecond, MaxPolls: 50, Timeout: time.Minute}

// leaver adds a user who owns rooms and shared files and returns it as
// the client reads it.
func leaver(t *testing.T, c *Client, sb *sandbox.Sandbox, email, typ string) User {
	t.Helper()
	sb.DocSpace.AddUser(email, typ, sandbox.DSActivationActivated)
	sb.DocSpace.GiveData(email, 2, 5)
	u, err := c.GetUserByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// writes lists the non-GET requests the sandbox saw.
func writes(sb *sandbox.Sandbox) []string {
	var out []string
	for _, r := range sb.Requests("docspace") {
		if r.Method != "GET" {
			out = append(out, r.Method+" "+r.Path)
		}
	}
	return out
}

func TestOffboardReassignsThenDeletes(t *testing.T) {
	c, sb := testClient(t)
	c.reassignWait = fastWait
	sb.DocSpace.SetReassignPolls(4)
	u := leaver(t, c, sb, "leaver@example.com", "RoomAdmin")
	sb.ClearLog()
	if err := c.Offboard(context.Background(), u, sandbox.DocSpaceRoomAdminEmail); err != nil {
		t.Fatal(err)
	}
	if _, ok := sb.DocSpace.User(u.Email); ok {
		t.Fatal("the profile was not deleted")
	}
	if l := sb.DocSpace.DataLosses(); len(l) != 0 {
		t.Fatalf("data lost: %+v", l)
	}
	if ra, _ := sb.DocSpace.User(sandbox.DocSpaceRoomAdminEmail); ra.Rooms != 2 || ra.SharedFiles != 5 {
		t.Fatalf("the successor owns %d rooms and %d files, want 2 and 5", ra.Rooms, ra.SharedFiles)
	}
	for route, want := range map[string]int{
		"GET /api/2.0/people/reassign/necessary":         2, // before anything, and the check after
		"PUT /api/2.0/people/status/{status}":            1,
		"GET /api/2.0/people/reassign/progress/{userid}": 1 + 4, // an earlier task?, then the polls
		"POST /api/2.0/people/reassign/start":            1,
		"DELETE /api/2.0/people/{id}":                    1,
		"PUT /api/2.0/people/reassign/terminate":         0,
	} {
		if got := sb.Count("docspace", route); got != want {
			t.Errorf("%s: %d requests, want %d (%v)", route, got, want, sb.Counts())
		}
	}
	var body map[string]any
	for _, r := range sb.Requests("docspace") {
		if r.Path == "/api/2.0/people/reassign/start" {
			if err := json.Unmarshal([]byte(r.Body), &body); err != nil {
				t.Fatal(err)
			}
		}
		if r.Path == "/api/2.0/people/reassign/necessary" && !strings.Contains(r.Query, "Type=Guest") {
			t.Errorf("necessary asked with %q, want Type=Guest (owned rooms and shared files)", r.Query)
		}
	}
	if body["fromUserId"] != u.ID || body["deleteProfile"] != false {
		t.Errorf("start body %v", body)
	}
}

// A user who owns nothing is removed as before: no reassignment.
func TestOffboardWithoutDataJustRemoves(t *testing.T) {
	c, sb := testClient(t)
	sb.DocSpace.AddUser("plain@example.com", "User", sandbox.DSActivationActivated)
	u, _ := c.GetUserByEmail(context.Background(), "plain@example.com")
	sb.ClearLog()
	if err := c.Offboard(context.Background(), u, ""); err != nil {
		t.Fatal(err)
	}
	if _, ok := sb.DocSpace.User(u.Email); ok {
		t.Fatal("not removed")
	}
	if n := sb.Count("docspace", "POST /api/2.0/people/reassign/start") + sb.Count("docspace", "GET /api/2.0/people/reassign/progress/{userid}"); n != 0 {
		t.Fatalf("%d reassignment requests for a user without data", n)
	}
}

// No successor: refused before anything changes, naming the person and
// what to set.
func TestOffboardWithoutSuccessorChangesNothing(t *testing.T) {
	c, sb := testClient(t)
	u := leaver(t, c, sb, "leaver@example.com", "User")
	sb.ClearLog()
	err := c.Offboard(context.Background(), u, "")
	if err == nil || !strings.Contains(err.Error(), u.Email) || !strings.Contains(err.Error(), "data_successor") {
		t.Fatalf("error %v, want one naming %s and data_successor", err, u.Email)
	}
	if w := writes(sb); len(w) != 0 {
		t.Fatalf("sent %v", w)
	}
	if got, ok := sb.DocSpace.User(u.Email); !ok || got.Status != sandbox.DSStatusActive {
		t.Fatal("the user was changed")
	}
	// the provider-level default counts as a successor
	c.successor = sandbox.DocSpaceRoomAdminEmail
	c.reassignWait = fastWait
	if err := c.Offboard(context.Background(), u, ""); err != nil {
		t.Fatal(err)
	}
}

// A successor who is not an active room admin or DocSpace admin: refused
// before anything changes.
func TestOffboardUnfitSuccessorChangesNothing(t *testing.T) {
	c, sb := testClient(t)
	u := leaver(t, c, sb, "leaver@example.com", "User")
	sb.DocSpace.AddUser("gone.admin@example.com", "RoomAdmin", sandbox.DSActivationActivated)
	sb.DocSpace.Terminate("gone.admin@example.com")
	sb.ClearLog()
	for succ, why := range map[string]string{
		sandbox.DocSpaceUserEmail:  "is a User",
		sandbox.DocSpaceGuestEmail: "not active",
		"gone.admin@example.com":   "not active",
		"nobody@example.com":       "has no user",
		u.Email:                    "being removed",
	} {
		err := c.Offboard(context.Background(), u, succ)
		if err == nil || !strings.Contains(err.Error(), why) || !strings.Contains(err.Error(), u.Email) {
			t.Errorf("successor %s: error %v, want %q", succ, err, why)
		}
	}
	if w := writes(sb); len(w) != 0 {
		t.Fatalf("sent %v", w)
	}
}

// The reassignment fails: the profile is not deleted, the error names the
// person, and nothing is lost.
func TestOffboardFailureKeepsTheProfile(t *testing.T) {
	c, sb := testClient(t)
	c.reassignWait = fastWait
	u := leaver(t, c, sb, "leaver@example.com", "RoomAdmin")
	sb.DocSpace.FailReassign(u.Email, "storage quota exceeded")
	sb.ClearLog()
	err := c.Offboard(context.Background(), u, sandbox.DocSpaceAdminEmail)
	var oe *OffboardError
	if !errors.As(err, &oe) || !strings.Contains(err.Error(), u.Email) || !strings.Contains(err.Error(), "storage quota exceeded") || !strings.Contains(err.Error(), "NOT deleted") {
		t.Fatalf("error %v", err)
	}
	if n := sb.Count("docspace", "DELETE /api/2.0/people/{id}"); n != 0 {
		t.Fatalf("%d deletions after a failed reassignment", n)
	}
	got, ok := sb.DocSpace.User(u.Email)
	if !ok || got.Rooms != 2 || got.Status != sandbox.DSStatusTerminated {
		t.Fatalf("after the failure: %+v %v", got, ok)
	}
	if l := sb.DocSpace.DataLosses(); len(l) != 0 {
		t.Fatalf("data lost: %+v", l)
	}
	// the cause fixed, the next run resumes: a new reassignment, then the deletion
	sb.DocSpace.FailReassign(u.Email, "")
	u.Status = EmployeeStatus(got.Status)
	if err := c.Offboard(context.Background(), u, sandbox.DocSpaceAdminEmail); err != nil {
		t.Fatal(err)
	}
	if _, ok := sb.DocSpace.User(u.Email); ok || len(sb.DocSpace.DataLosses()) != 0 {
		t.Fatal("the second run did not finish the offboarding without loss")
	}
}

// ctx ends during the wait: the wait stops at once (not at the next
// poll, an hour away), nothing is deleted, and the reassignment left
// running is followed, not started again, by the next run.
func TestOffboardCancelledDuringTheWait(t *testing.T) {
	c, sb := testClient(t)
	c.reassignWait = ReassignWait{First: time.Hour, Max: time.Hour, MaxPolls: 10, Timeout: 24 * time.Hour}
	u := leaver(t, c, sb, "leaver@example.com", "User")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- c.Offboard(ctx, u, sandbox.DocSpaceRoomAdminEmail) }()
	// cancel once the reassignment has started (the wait begins then)
	for sb.Count("docspace", "POST /api/2.0/people/reassign/start") == 0 {
		select {
		case err := <-done:
			t.Fatalf("Offboard returned before the reassignment started: %v", err)
		case <-time.After(time.Millisecond):
		}
	}
	cancel()
	var err error
	select {
	case err = <-done:
	case <-time.After(30 * time.Second): // a guard against a hang, not a measure
		t.Fatal("Offboard did not return after its context was cancelled")
	}
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), u.Email) || !strings.Contains(err.Error(), "NOT deleted") {
		t.Fatalf("error %v", err)
	}
	if n := sb.Count("docspace", "DELETE /api/2.0/people/{id}") + sb.Count("docspace", "PUT /api/2.0/people/reassign/terminate"); n != 0 {
		t.Fatalf("%d deletions or cancellations after the wait stopped", n)
	}
	if got, ok := sb.DocSpace.User(u.Email); !ok || got.Rooms != 2 {
		t.Fatalf("after the cancellation: %+v %v", got, ok)
	}
	// the next run follows the task still queued
	c.reassignWait = fastWait
	u.Status = 2
	if err := c.Offboard(context.Background(), u, sandbox.DocSpaceRoomAdminEmail); err != nil {
		t.Fatal(err)
	}
	if n := sb.Count("docspace", "POST /api/2.0/people/reassign/start"); n != 1 {
		t.Fatalf("%d starts: the running reassignment must be followed, not started again", n)
	}
	if _, ok := sb.DocSpace.User(u.Email); ok || len(sb.DocSpace.DataLosses()) != 0 {
		t.Fatal("the second run did not finish the offboarding without loss")
	}
}

// The wait is bounded by a number of polls: past it, an error, and no
// deletion.
func TestWaitReassignIsBounded(t *testing.T) {
	c, sb := testClient(t)
	c.reassignWait = ReassignWait{First: time.Millisecond, Max: time.Millisecond, MaxPolls: 3, Timeout: time.Hour}
	sb.DocSpace.SetReassignPolls(100)
	u := leaver(t, c, sb, "leaver@example.com", "User")
	err := c.Offboard(context.Background(), u, sandbox.DocSpaceRoomAdminEmail)
	if !errors.Is(err, ErrReassignWaitExceeded) || !strings.Contains(err.Error(), u.Email) {
		t.Fatalf("error %v", err)
	}
	if n := sb.Count("docspace", "GET /api/2.0/people/reassign/progress/{userid}"); n != 1+3 {
		t.Fatalf("%d progress requests, want 4 (one check, then the 3 polls allowed)", n)
	}
	if n := sb.Count("docspace", "DELETE /api/2.0/people/{id}"); n != 0 {
		t.Fatal("deleted while the reassignment still ran")
	}
}

// TerminateReassign cancels a queued reassignment.
func TestTerminateReassign(t *testing.T) {
	c, sb := testClient(t)
	u := leaver(t, c, sb, "leaver@example.com", "User")
	sb.DocSpace.Terminate(u.Email)
	ctx := context.Background()
	to, _ := c.GetUserByEmail(ctx, sandbox.DocSpaceRoomAdminEmail)
	if _, err := c.StartReassign(ctx, u.ID, to.ID, false); err != nil {
		t.Fatal(err)
	}
	p, err := c.TerminateReassign(ctx, u.ID)
	if err != nil || p == nil || p.Status != TaskCanceled || !p.IsCompleted {
		t.Fatalf("terminate: %+v %v", p, err)
	}
	if p, err := c.GetReassignProgress(ctx, u.ID); err != nil || p != nil {
		t.Fatalf("after terminate: %+v %v", p, err)
	}
	// a 400 from start carries DocSpace's message
	_, err = c.StartReassign(ctx, to.ID, u.ID, false)
	if err == nil || !strings.Contains(err.Error(), "Can not reassign data") {
		t.Fatalf("start to a terminated user: %v", err)
	}
}

func TestDecodeProgress(t *testing.T) {
	for in, want := range map[string]*ReassignProgress{
		`{"response":null,"status":0,"statusCode":200}`:                                                                 nil,
		`{"response":{"id":"t","error":null,"percentage":50,"isCompleted":false,"status":1},"statusCode":200}`:          {ID: "t", Percentage: 50, Status: TaskRunning},
		`{"response":{"id":"t","error":"boom","percentage":50,"isCompleted":true,"status":"Failted"},"statusCode":200}`: {ID: "t", Error: "boom", Percentage: 50, IsCompleted: true, Status: TaskFailed},
	} {
		got, err := decodeProgress([]byte(in))
		if err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		if (got == nil) != (want == nil) || (got != nil && *got != *want) {
			t.Errorf("%s: got %+v, want %+v", in, got, want)
		}
	}
	if _, err := decodeProgress([]byte(`{"response":{"status":"Bogus"}}`)); err == nil {
		t.Error("an unknown status decoded")
	}
}

// registrationDate is read as DocSpace writes it (a string) and as its
// specification models ApiDateTime ({utcTime, timeZoneOffset}); any other
// shape is an unknown date, never an unreadable user.
func TestRegistrationDateForms(t *testing.T) {
	for body, want := range map[string]string{
		`{"response":{"id":"a","registrationDate":"2024-01-15T10:30:00.0000000+03:00"}}`:                            "2024-01-15T10:30:00.0000000+03:00",
		`{"response":{"id":"a","registrationDate":{"utcTime":"2024-01-15T07:30:00Z","timeZoneOffset":"03:00:00"}}}`: "2024-01-15T07:30:00Z",
		`{"response":{"id":"a","registrationDate":null}}`:                                                           "",
		`{"response":{"id":"a","registrationDate":12}}`:                                                             "",
		`{"response":{"id":"a"}}`: "",
	} {
		u, err := DecodeUser([]byte(body))
		if err != nil || u.InvitedAt() != want {
			t.Errorf("%s: %q %v, want %q", body, u.InvitedAt(), err, want)
		}
	}
}
