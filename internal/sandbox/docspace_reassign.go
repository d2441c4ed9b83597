package sandbox

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
)

// Data reassignment ("People / User data" in DocSpace's API reference;
// ReassignController in ONLYOFFICE/DocSpace-server, the startReassign,
// getReassignProgress, terminateReassign and necessaryReassign pages of
// ONLYOFFICE/docspace-api-spec, and the vendor's API tests of userData in
// ONLYOFFICE/DocSpace-api-tests):
//
//   - every call needs a DocSpace admin (room admins, users and guests get
//     403 "Access denied"), and only the portal owner may act on the data
//     of a DocSpace admin (403 for anyone else);
//   - GET people/reassign/necessary?UserId=&Type= answers whether the user
//     owns a room or, when Type is Guest, a room or a file still shared;
//   - POST people/reassign/start {fromUserId, toUserId, deleteProfile}
//     answers 400 "Can not reassign data to user ..." when the destination
//     is not an active room admin or DocSpace admin, and 400 "Can not
//     reassign data from user ..." when the source is the owner, the
//     caller, unknown or not terminated (disabled); it queues a task and
//     answers its progress {id, error, percentage, isCompleted, status}
//     (status: 0 Created, 1 Running, 2 Completed, 3 Canceled, 4 Failted);
//     starting again while a task runs answers that task;
//   - GET people/reassign/progress/{userid} answers the task of that source
//     user (null when there is none); the task moves on one step per poll
//     and takes ReassignPolls polls, so a client has to poll: when it
//     completes, the rooms and shared files move to the destination and,
//     with deleteProfile, the source profile is deleted; a task set to fail
//     (FailReassign) stops half-way with status 4 and its error, moving
//     nothing;
//   - PUT people/reassign/terminate {userId} cancels the task (status 3,
//     isCompleted), removes it from the queue and answers it (null when
//     there is none).
//
// Deleting a user who still owns data (DELETE people/{id}) drops that data
// as DocSpace does: the sandbox records it (DataLosses) so tests can prove
// that nothing was lost.

// DocSpace task statuses (DistributedTaskStatus).
const (
	DSTaskCreated   = 0
	DSTaskRunning   = 1
	DSTaskCompleted = 2
	DSTaskCanceled  = 3
	DSTaskFailed    = 4
)

// DSDataLoss is data DocSpace dropped because its owner was deleted.
type DSDataLoss struct {
	Email       string
	Rooms       int
	SharedFiles int
}

// dsReassign is one reassignment task.
type dsReassign struct {
	id            string
	from, to      string // user ids
	deleteProfile bool
	polls         int
	percentage    int
	status        int
	completed     bool
	err           string
}

func (t *dsReassign) json() map[string]any {
	var e any
	if t.err != "" {
		e = t.err
	}
	return map[string]any{"id": t.id, "error": e, "percentage": t.percentage, "isCompleted": t.completed, "status": t.status}
}

var dsGUID = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// reassignRoutes registers the user data routes.
func (p *DocSpace) reassignRoutes() {
	for _, rt := range []struct {
		pattern string
		handler dsHandler
	}{
		{"GET /api/2.0/people/reassign/necessary", p.reassignNecessary},
		{"POST /api/2.0/people/reassign/start", p.reassignStart},
		{"GET /api/2.0/people/reassign/progress/{userid}", p.reassignProgress},
		{"PUT /api/2.0/people/reassign/terminate", p.reassignTerminate},
	} {
		p.sb.handle(PrefixDocSpace, rt.pattern, p.preamble(rt.handler))
	}
}

// mayHandleDataOf is the permission check every user data call makes:
// the caller must be a DocSpace admin, and the owner when the user is a
// DocSpace admin. It answers 403 and returns false otherwise.
func (p *DocSpace) mayHandleDataOf(w http.ResponseWriter, me, u *DSUser) bool {
	if !me.isAdmin() || (u != nil && u.Type == "DocSpaceAdmin" && me.Type != "Owner") {
		dsDenied(w)
		return false
	}
	return true
}

// ownsData is necessaryReassign's test.
func (u *DSUser) ownsData(typ string) bool {
	return u.Rooms > 0 || (typ == "Guest" && u.SharedFiles > 0)
}

var dsNecessaryTypes = map[string]bool{"All": true, "RoomAdmin": true, "Guest": true, "DocSpaceAdmin": true, "User": true}

// reassignNecessary is GET people/reassign/necessary.
func (p *DocSpace) reassignNecessary(w http.ResponseWriter, r *http.Request, me *DSUser) {
	q := r.URL.Query()
	id, typ := q.Get("UserId"), q.Get("Type")
	if !dsGUID.MatchString(id) {
		dsError(w, http.StatusBadRequest, fmt.Sprintf("The value '%s' is not valid for UserId", id))
		return
	}
	if typ == "" {
		typ = "All"
	}
	if !dsNecessaryTypes[typ] {
		dsError(w, http.StatusBadRequest, fmt.Sprintf("The value '%s' is not valid for Type: one of All, RoomAdmin, Guest, DocSpaceAdmin, User", typ))
		return
	}
	u := p.users[strings.ToLower(id)]
	if !p.mayHandleDataOf(w, me, u) {
		return
	}
	if typ == "DocSpaceAdmin" && me.Type != "Owner" {
		dsDenied(w) // adding or removing DocSpace admins is the owner's
		return
	}
	p.ok(w, r, u != nil && u.ownsData(typ), 1)
}

// reassignStart is POST people/reassign/start.
func (p *DocSpace) reassignStart(w http.ResponseWriter, r *http.Request, me *DSUser) {
	var body struct {
		FromUserID    string `json:"fromUserId"`
		ToUserID      string `json:"toUserId"`
		DeleteProfile bool   `json:"deleteProfile"`
	}
	if err := decodeStrict(r, &body); err != nil {
		dsError(w, http.StatusBadRequest, err.Error())
		return
	}
	if !dsGUID.MatchString(body.FromUserID) || !dsGUID.MatchString(body.ToUserID) {
		dsError(w, http.StatusBadRequest, "fromUserId and toUserId must be user ids (uuids)")
		return
	}
	if !p.mayHandleDataOf(w, me, nil) {
		return
	}
	to := p.users[strings.ToLower(body.ToUserID)]
	if to == nil || to.Status != DSStatusActive || (to.Type != "RoomAdmin" && !to.isAdmin()) {
		dsError(w, http.StatusBadRequest, "Can not reassign data to user with id = "+body.ToUserID)
		return
	}
	from := p.users[strings.ToLower(body.FromUserID)]
	if from == nil || from.Type == "Owner" || from.ID == me.ID || from.Status != DSStatusTerminated ||
		(from.Type == "DocSpaceAdmin" && me.Type != "Owner") {
		dsError(w, http.StatusBadRequest, "Can not reassign data from user with id = "+body.FromUserID)
		return
	}
	if t := p.reassigns[from.ID]; t != nil && !t.completed {
		p.ok(w, r, t.json(), 1) // already queued
		return
	}
	p.taskSeq++
	t := &dsReassign{id: fmt.Sprintf("reassign-%d-%s", p.taskSeq, from.ID[:8]), from: from.ID, to: to.ID, deleteProfile: body.DeleteProfile, status: DSTaskCreated}
	p.reassigns[from.ID] = t
	p.ok(w, r, t.json(), 1)
}

// reassignProgress is GET people/reassign/progress/{userid}: each poll
// moves the task on by one step.
func (p *DocSpace) reassignProgress(w http.ResponseWriter, r *http.Request, me *DSUser) {
	id := r.PathValue("userid")
	if !dsGUID.MatchString(id) {
		dsError(w, http.StatusNotFound, "Not found") // the route takes a guid only
		return
	}
	id = strings.ToLower(id)
	t := p.reassigns[id]
	var who *DSUser
	if u := p.users[id]; u != nil {
		who = u
	}
	if !p.mayHandleDataOf(w, me, who) {
		return
	}
	if t == nil {
		p.ok(w, r, nil, 0)
		return
	}
	p.step(t)
	p.ok(w, r, t.json(), 1)
}

// step moves a task on by one poll.
func (p *DocSpace) step(t *dsReassign) {
	if t.completed {
		return
	}
	t.polls++
	t.status = DSTaskRunning
	n := max(p.reassignPolls, 1)
	t.percentage = min(100*t.polls/n, 100)
	from := p.users[t.from]
	if from != nil {
		if msg, ok := p.reassignFailures[strings.ToLower(from.Email)]; ok && t.polls >= (n+1)/2 {
			t.status, t.completed, t.err = DSTaskFailed, true, msg
			return
		}
	}
	if t.polls < n {
		return
	}
	if to := p.users[t.to]; from != nil && to != nil {
		to.Rooms += from.Rooms
		to.SharedFiles += from.SharedFiles
		from.Rooms, from.SharedFiles = 0, 0
		if t.deleteProfile {
			delete(p.users, from.ID)
		}
	}
	t.status, t.completed, t.percentage = DSTaskCompleted, true, 100
}

// reassignTerminate is PUT people/reassign/terminate.
func (p *DocSpace) reassignTerminate(w http.ResponseWriter, r *http.Request, me *DSUser) {
	var body struct {
		UserID string `json:"userId"`
	}
	if err := decodeStrict(r, &body); err != nil {
		dsError(w, http.StatusBadRequest, err.Error())
		return
	}
	if !dsGUID.MatchString(body.UserID) {
		dsError(w, http.StatusBadRequest, "userId must be a user id (uuid)")
		return
	}
	id := strings.ToLower(body.UserID)
	if !p.mayHandleDataOf(w, me, p.users[id]) {
		return
	}
	t := p.reassigns[id]
	if t == nil {
		p.ok(w, r, nil, 0)
		return
	}
	delete(p.reassigns, id)
	if !t.completed {
		t.status, t.completed = DSTaskCanceled, true
	}
	out := t.json()
	out["status"], out["isCompleted"] = DSTaskCanceled, true
	p.ok(w, r, out, 1)
}

// --- Go access for tests ---

// GiveData makes a user own rooms and shared files (out of band).
func (p *DocSpace) GiveData(email string, rooms, sharedFiles int) bool {
	return p.change(email, func(u *DSUser) { u.Rooms, u.SharedFiles = rooms, sharedFiles })
}

// SetReassignPolls sets how many progress polls a reassignment takes.
func (p *DocSpace) SetReassignPolls(n int) {
	p.mu.Lock()
	p.reassignPolls = n
	p.mu.Unlock()
}

// FailReassign makes the reassignment of this user's data fail half-way
// with message ("" clears it).
func (p *DocSpace) FailReassign(email, message string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if message == "" {
		delete(p.reassignFailures, strings.ToLower(email))
		return
	}
	p.reassignFailures[strings.ToLower(email)] = message
}

// DataLosses are the data DocSpace dropped by deleting their owners.
func (p *DocSpace) DataLosses() []DSDataLoss {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]DSDataLoss(nil), p.losses...)
}

// reassignAdminRoutes are the out-of-band changes of user data, under
// /_admin/docspace:
//
//	POST /docspace/users/{email}/data               {"rooms": 2, "shared_files": 5}
//	POST /docspace/users/{email}/reassign-failure   {"message": "storage quota exceeded"}
func (p *DocSpace) reassignAdminRoutes() {
	p.sb.adminHandle("POST /docspace/users/{email}/data", func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Rooms       int `json:"rooms"`
			SharedFiles int `json:"shared_files"`
		}
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.Rooms < 0 || body.SharedFiles < 0 {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": `body must be {"rooms": n, "shared_files": n} with n >= 0`})
			return
		}
		if !p.GiveData(r.PathValue("email"), body.Rooms, body.SharedFiles) {
			writeJSON(w, http.StatusNotFound, map[string]string{"error": "no such user"})
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	p.sb.adminHandle("POST /docspace/users/{email}/reassign-failure", func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Message string `json:"message"`
		}
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": `body must be {"message": "..."}`})
			return
		}
		p.FailReassign(r.PathValue("email"), body.Message)
		w.WriteHeader(http.StatusNoContent)
	})
}
