package attackforge

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// The decoders below read AttackForge answers tolerantly: the contract
// documents the envelopes ({user}, {count, users}, {result}, {projects}) but
// not every field's spelling, and GET /api/ss/user/:id/projects is not
// documented at all. Each accepts the documented envelope or a bare value,
// `id` or `_id`, and reads optional fields only when present.

// User is an AttackForge user.
type User struct {
	ID, Username, Email, FirstName, LastName, Role, Status string
}

// InviteResult is one entry of the `result` array of team/invite or
// team/remove. On failure only User (the submitted value) and Status are
// set.
type InviteResult struct {
	User, UserID, Username, Email, AccessLevel, Status string
}

// ProjectAccess is one project a user can access.
type ProjectAccess struct {
	ID, Name, AccessLevel, ProjectRole string
}

// str renders a JSON scalar as a string ("" for objects, arrays and null).
func str(v any) string {
	switch t := v.(type) {
	case string:
		return strings.TrimSpace(t)
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64)
	case json.Number:
		return t.String()
	case bool:
		return strconv.FormatBool(t)
	}
	return ""
}

// first returns the first non-empty field among keys.
func first(m map[string]any, keys ...string) string {
	for _, k := range keys {
		if s := str(m[k]); s != "" {
			return s
		}
	}
	return ""
}

// objects decodes body as an array of objects, either bare or under one of
// the envelope keys. A JSON null or a missing key is an empty list.
func objects(body []byte, keys ...string) ([]map[string]any, map[string]any, error) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return nil, nil, errors.New("empty response body")
	}
	var raw any
	if err := json.Unmarshal(body, &raw); err != nil {
		return nil, nil, err
	}
	var list []any
	var env map[string]any
	switch t := raw.(type) {
	case []any:
		list = t
	case map[string]any:
		env = t
		found := false
	keysLoop:
		for _, k := range keys {
			v, ok := t[k]
			if !ok {
				continue
			}
			found = true
			switch l := v.(type) {
			case []any:
				list = l
			case nil:
			default:
				return nil, env, fmt.Errorf("%q is a %s, not an array", k, kind(v))
			}
			break keysLoop
		}
		if !found {
			return nil, env, fmt.Errorf("expected an array or an object with %s", strings.Join(quoteAll(keys), " or "))
		}
	case nil:
		return nil, nil, nil
	default:
		return nil, nil, fmt.Errorf("expected an object or an array, got a %s", kind(raw))
	}
	out := make([]map[string]any, 0, len(list))
	for i, item := range list {
		m, ok := item.(map[string]any)
		if !ok {
			return nil, env, fmt.Errorf("item %d is a %s, not an object", i, kind(item))
		}
		out = append(out, m)
	}
	return out, env, nil
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strconv.Quote(s)
	}
	return out
}

func kind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "boolean"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

func userFrom(m map[string]any) User {
	return User{
		ID:        first(m, "id", "_id", "userId", "user_id"),
		Username:  first(m, "username", "user_name"),
		Email:     first(m, "email_address", "email"),
		FirstName: first(m, "first_name", "firstName"),
		LastName:  first(m, "last_name", "lastName"),
		Role:      first(m, "role"),
		Status:    first(m, "status"),
	}
}

// decodeUser reads {user:{...}} (or a bare user object).
func decodeUser(body []byte) (User, error) {
	var raw any
	if err := json.Unmarshal(bytes.TrimSpace(body), &raw); err != nil {
		return User{}, err
	}
	m, ok := raw.(map[string]any)
	if !ok {
		return User{}, fmt.Errorf("expected an object with \"user\", got a %s", kind(raw))
	}
	if inner, ok := m["user"]; ok {
		um, ok := inner.(map[string]any)
		if !ok {
			return User{}, fmt.Errorf("\"user\" is a %s, not an object", kind(inner))
		}
		m = um
	}
	u := userFrom(m)
	if u.ID == "" {
		return User{}, errors.New("the user has no id")
	}
	return u, nil
}

// decodeUsers reads {count, users:[...]} (or a bare array). Users without
// an id are skipped. count is -1 when absent.
func decodeUsers(body []byte) ([]User, int, error) {
	items, env, err := objects(body, "users")
	if err != nil {
		return nil, 0, err
	}
	count := -1
	if env != nil {
		if n, err := strconv.Atoi(str(env["count"])); err == nil {
			count = n
		}
	}
	out := make([]User, 0, len(items))
	for _, m := range items {
		if u := userFrom(m); u.ID != "" {
			out = append(out, u)
		}
	}
	return out, count, nil
}

// decodeResults reads the {result:[...]} of team/invite and team/remove.
func decodeResults(body []byte) ([]InviteResult, error) {
	items, _, err := objects(body, "result", "results")
	if err != nil {
		return nil, err
	}
	out := make([]InviteResult, 0, len(items))
	for _, m := range items {
		out = append(out, InviteResult{
			User:        first(m, "user"),
			UserID:      first(m, "userId", "user_id", "id", "_id"),
			Username:    first(m, "username"),
			Email:       first(m, "email", "email_address"),
			AccessLevel: first(m, "accessLevel", "access_level"),
			Status:      first(m, "status"),
		})
	}
	return out, nil
}

// decodeUserProjects reads GET /api/ss/user/:id/projects, whose body is not
// documented: {projects:[{id, name, ...}]} or a bare array, `id`, `_id` or
// `project_id`, and an access level and project role only where present.
func decodeUserProjects(body []byte) ([]ProjectAccess, error) {
	items, _, err := objects(body, "projects", "data")
	if err != nil {
		return nil, err
	}
	out := make([]ProjectAccess, 0, len(items))
	for _, m := range items {
		p := ProjectAccess{
			ID:          first(m, "id", "_id", "project_id", "projectId"),
			Name:        first(m, "name", "project_name"),
			AccessLevel: first(m, "access_level", "accessLevel", "access", "project_access_level", "user_access_level"),
			ProjectRole: first(m, "project_role", "projectRole"),
		}
		if !validAccessLevel(p.AccessLevel) {
			// Something we do not understand is not an access level.
			p.AccessLevel = matchAccessLevel(p.AccessLevel)
		}
		if p.ID != "" {
			out = append(out, p)
		}
	}
	return out, nil
}

// matchAccessLevel maps another case of View/Upload/Edit to it, else "".
func matchAccessLevel(s string) string {
	for _, l := range accessLevels {
		if strings.EqualFold(l, s) {
			return l
		}
	}
	return ""
}
