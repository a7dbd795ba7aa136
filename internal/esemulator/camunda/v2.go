// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package camunda

import (
	"crypto/subtle"
	"fmt"
	"mime"
	"net/http"
	"regexp"
	"strings"
)

// 8.10's Orchestration Cluster REST API: /v2/backups/history,
// /v2/backups/runtime, /v2/exporting (HistoryBackupController,
// RuntimeBackupController, ExportingController; the published reference
// pages and v2/backups.yaml, v2/exporting.yaml), behind basic or bearer
// auth when configured, and the client-credentials token endpoint.

func (t *Twin) v2(mux *http.ServeMux) {
	handle := func(pattern string, h http.HandlerFunc) { mux.Handle(pattern, t.authenticated(h)) }
	t.v2Exporting(handle)
	t.v2History(handle)
	t.v2Runtime(handle)
	if t.cfg.OAuth != nil {
		mux.HandleFunc("POST "+TokenPath, t.token)
	}
}

// v2Exporting registers /v2/exporting: pause, resume and its state.
func (t *Twin) v2Exporting(handle func(string, http.HandlerFunc)) {
	handle("POST /v2/exporting/pause", func(w http.ResponseWriter, r *http.Request) {
		soft, ok := softParam(r)
		if !ok {
			problem(w, r, http.StatusBadRequest, "Bad Request", "Failed to convert 'soft' with value: '"+r.URL.Query().Get("soft")+"'")
			return
		}
		t.mu.Lock()
		t.pauseLocked(soft)
		t.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	})
	handle("POST /v2/exporting/resume", func(w http.ResponseWriter, r *http.Request) {
		t.mu.Lock()
		err := t.resumeLocked()
		t.mu.Unlock()
		if err != nil {
			// GAP: the published reference lists 500 and 503; which one a
			// failed resume answers was not read. The twin answers 500.
			problem(w, r, http.StatusInternalServerError, "INTERNAL", err.Error())
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	handle("GET /v2/exporting", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, "application/json", http.StatusOK, map[string]string{"status": t.ExportingState()})
	})
}

// v2History registers /v2/backups/history: the web apps' backups.
func (t *Twin) v2History(handle func(string, http.HandlerFunc)) {
	handle("POST /v2/backups/history", func(w http.ResponseWriter, r *http.Request) {
		id, ok := v2BackupID(w, r, true)
		if !ok {
			return
		}
		names, err := t.takeWebapps(r.Context(), webapps, t.webapps["webapps"], id)
		if err != nil {
			v2WebappsError(w, r, err)
			return
		}
		writeJSON(w, "application/json", http.StatusAccepted, struct {
			BackupID           int64    `json:"backupId"`
			ScheduledSnapshots []string `json:"scheduledSnapshots"`
		}{id, names})
	})
	handle("GET /v2/backups/history", func(w http.ResponseWriter, r *http.Request) {
		list, err := t.webappsList(r.Context(), webapps)
		if err != nil {
			v2WebappsError(w, r, err)
			return
		}
		if prefix := r.URL.Query().Get("prefix"); prefix != "" {
			kept := []HistoryBackup{}
			for _, b := range list {
				if strings.HasPrefix(fmt.Sprint(b.BackupID), strings.TrimSuffix(prefix, "*")) {
					kept = append(kept, b)
				}
			}
			list = kept
		}
		writeJSON(w, "application/json", http.StatusOK, list)
	})
	handle("GET /v2/backups/history/{id}", func(w http.ResponseWriter, r *http.Request) {
		id, ok := v2PathID(w, r)
		if !ok {
			return
		}
		b, err := t.webappsBackup(r.Context(), webapps, id)
		if err != nil {
			v2WebappsError(w, r, err)
			return
		}
		writeJSON(w, "application/json", http.StatusOK, b)
	})
	handle("DELETE /v2/backups/history/{id}", func(w http.ResponseWriter, r *http.Request) {
		id, ok := v2PathID(w, r)
		if !ok {
			return
		}
		if err := t.deleteWebapps(r.Context(), webapps, id); err != nil {
			v2WebappsError(w, r, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
}

// v2Runtime registers /v2/backups/runtime: Zeebe's backups.
func (t *Twin) v2Runtime(handle func(string, http.HandlerFunc)) {
	handle("POST /v2/backups/runtime", func(w http.ResponseWriter, r *http.Request) {
		// @RequestBody(required=false): no body is the generated-id mode,
		// which the twin (no continuous backups) refuses.
		id, ok := v2BackupID(w, r, false)
		if !ok {
			return
		}
		t.mu.Lock()
		exists := t.takeZeebeLocked(id)
		t.mu.Unlock()
		if exists != nil {
			problem(w, r, http.StatusConflict, "ALREADY_EXISTS", exists.message(t.minor))
			return
		}
		writeJSON(w, "application/json", http.StatusAccepted, map[string]int64{"backupId": id})
	})
	handle("GET /v2/backups/runtime", func(w http.ResponseWriter, r *http.Request) {
		prefix := r.URL.Query().Get("prefix")
		if prefix != "" && !runtimePrefix.MatchString(prefix) {
			problem(w, r, http.StatusBadRequest, "Bad Request", fmt.Sprintf("The prefix must match the pattern %s, but was '%s'.", runtimePrefix, prefix))
			return
		}
		out := []v2Backup{}
		for _, b := range t.ZeebeBackups() {
			if strings.HasPrefix(fmt.Sprint(b.BackupID), strings.TrimSuffix(prefix, "*")) {
				out = append(out, v2BackupInfo(b))
			}
		}
		writeJSON(w, "application/json", http.StatusOK, out)
	})
	handle("GET /v2/backups/runtime/state", func(w http.ResponseWriter, r *http.Request) {
		t.mu.Lock()
		st := t.runtimeStateLocked()
		t.mu.Unlock()
		writeJSON(w, "application/json", http.StatusOK, st)
	})
	handle("GET /v2/backups/runtime/{id}", func(w http.ResponseWriter, r *http.Request) {
		id, ok := v2PathID(w, r)
		if !ok {
			return
		}
		t.mu.Lock()
		b, found := t.zeebeBackupLocked(id)
		t.mu.Unlock()
		if !found {
			problem(w, r, http.StatusNotFound, "NOT_FOUND", fmt.Sprintf("Backup with id %d does not exist", id))
			return
		}
		writeJSON(w, "application/json", http.StatusOK, v2BackupInfo(b))
	})
	handle("DELETE /v2/backups/runtime/{id}", func(w http.ResponseWriter, r *http.Request) {
		id, ok := v2PathID(w, r)
		if !ok {
			return
		}
		t.mu.Lock()
		t.deleteZeebeLocked(id)
		t.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	})
}

// runtimePrefix is the list's prefix parameter pattern (backups.yaml).
var runtimePrefix = regexp.MustCompile(`^\d*\*$`)

// v2BackupID reads {"backupId": N} (BackupId: int64, minimum 1); a body
// is required (history) or optional (runtime, where its absence asks for a
// generated id, refused: GAP, the twin has no continuous backups).
func v2BackupID(w http.ResponseWriter, r *http.Request, required bool) (int64, bool) {
	if r.ContentLength != 0 && !isJSON(r) {
		problem(w, r, http.StatusUnsupportedMediaType, "Unsupported Media Type",
			fmt.Sprintf("Content-Type '%s' is not supported.", r.Header.Get("Content-Type")))
		return 0, false
	}
	id, present, ok := backupIDBody(r)
	if !ok || (required && !present) {
		problem(w, r, http.StatusBadRequest, "Bad Request", "Failed to read request")
		return 0, false
	}
	if !present {
		problem(w, r, http.StatusBadRequest, "INVALID_ARGUMENT", "A backupId must be provided and it must be > 0")
		return 0, false
	}
	if id < 1 {
		problem(w, r, http.StatusBadRequest, "INVALID_ARGUMENT", fmt.Sprintf("The value for backupId is '%d' but must be > 0.", id))
		return 0, false
	}
	return id, true
}

func v2PathID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	id, ok := pathID(r.PathValue("id"))
	if !ok {
		problem(w, r, http.StatusBadRequest, "Bad Request", fmt.Sprintf("Failed to convert 'backupId' with value: '%s'", r.PathValue("id")))
	}
	return id, ok
}

// v2WebappsError maps the web apps' exceptions to RestErrorMapper's
// statuses: a taken id or a running backup 409 ALREADY_EXISTS ("A backup
// with the given id already exists, or another backup is already
// running"), an unknown id 404 NOT_FOUND, no repository 403 FORBIDDEN (as
// the cluster-wide take answers a tenant without one), an unreachable
// engine 503 UNAVAILABLE, else 500 INTERNAL.
func v2WebappsError(w http.ResponseWriter, r *http.Request, err error) {
	we := asWebError(err)
	switch we.kind {
	case errDuplicate:
		problem(w, r, http.StatusConflict, "ALREADY_EXISTS", we.msg)
	case errInvalid:
		if we.msg == "No backup repository configured." {
			problem(w, r, http.StatusForbidden, "FORBIDDEN", we.msg)
			return
		}
		problem(w, r, http.StatusBadRequest, "INVALID_ARGUMENT", we.msg)
	case errNotFound:
		problem(w, r, http.StatusNotFound, "NOT_FOUND", we.msg)
	case errMissingRepo:
		problem(w, r, http.StatusForbidden, "FORBIDDEN", we.msg)
	case errConnection:
		problem(w, r, http.StatusServiceUnavailable, "UNAVAILABLE", we.msg)
	default:
		problem(w, r, http.StatusInternalServerError, "INTERNAL", we.msg)
	}
}

// v2Partition is PartitionBackupInfo of backups.yaml: every field
// required, nullable except partitionId and state.
type v2Partition struct {
	PartitionID        int     `json:"partitionId"`
	State              string  `json:"state"`
	FailureReason      *string `json:"failureReason"`
	CreatedAt          *string `json:"createdAt"`
	LastUpdatedAt      *string `json:"lastUpdatedAt"`
	SnapshotID         *string `json:"snapshotId"`
	FirstLogPosition   *int64  `json:"firstLogPosition"`
	CheckpointPosition *int64  `json:"checkpointPosition"`
	BrokerID           *int    `json:"brokerId"`
	BrokerVersion      *string `json:"brokerVersion"`
}

type v2Backup struct {
	BackupID      int64         `json:"backupId"`
	State         string        `json:"state"`
	FailureReason *string       `json:"failureReason"`
	Details       []v2Partition `json:"details"`
}

func v2BackupInfo(b ZeebeBackup) v2Backup {
	out := v2Backup{BackupID: b.BackupID, State: b.State, Details: []v2Partition{}}
	if b.FailureReason != "" {
		reason := b.FailureReason
		out.FailureReason = &reason
	}
	for _, p := range b.Partitions {
		vp := v2Partition{PartitionID: p.PartitionID, State: p.State}
		if p.State != StateDoesNotExist {
			created, updated, snap, version := zeebeTime(p.CreatedAt), zeebeTime(p.LastUpdatedAt), p.SnapshotID, p.BrokerVersion
			first, pos, broker := p.FirstLogPosition, p.CheckpointPosition, p.BrokerID
			vp.CreatedAt, vp.LastUpdatedAt, vp.SnapshotID, vp.BrokerVersion = &created, &updated, &snap, &version
			vp.FirstLogPosition, vp.CheckpointPosition, vp.BrokerID = &first, &pos, &broker
		}
		if p.State == StateFailed {
			reason := p.FailureReason
			vp.FailureReason = &reason
		}
		out.Details = append(out.Details, vp)
	}
	return out
}

// authenticated requires the configured credentials on /v2: basic auth
// (Config.Username) or a bearer token the token endpoint issued
// (Config.OAuth); with neither configured, none (C8 Run's default). A
// request without them answers 401 (RestErrorMapper UNAUTHORIZED; GAP
// §9.9: the detail text is the twin's).
func (t *Twin) authenticated(h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if t.cfg.Username == "" && t.cfg.OAuth == nil {
			h(w, r)
			return
		}
		if t.authorized(r) {
			h(w, r)
			return
		}
		if t.cfg.Username != "" {
			w.Header().Add("WWW-Authenticate", `Basic realm="Realm"`)
		}
		if t.cfg.OAuth != nil {
			w.Header().Add("WWW-Authenticate", "Bearer")
		}
		problem(w, r, http.StatusUnauthorized, "UNAUTHORIZED", "Full authentication is required to access this resource")
	})
}

func (t *Twin) authorized(r *http.Request) bool {
	auth := r.Header.Get("Authorization")
	if user, pass, ok := r.BasicAuth(); ok && t.cfg.Username != "" {
		return subtle.ConstantTimeCompare([]byte(user), []byte(t.cfg.Username)) == 1 &&
			subtle.ConstantTimeCompare([]byte(pass), []byte(t.cfg.Password)) == 1
	}
	if token, ok := strings.CutPrefix(auth, "Bearer "); ok && t.cfg.OAuth != nil {
		t.mu.Lock()
		defer t.mu.Unlock()
		return t.tokens[token]
	}
	return false
}

// token is the client-credentials token endpoint: a form-encoded POST with
// grant_type=client_credentials, client_id, client_secret (or HTTP basic
// client auth) and, when configured, audience; it answers
// {"access_token","token_type":"Bearer","expires_in"}, and refuses as
// RFC 6749 §5.2 (Keycloak's texts).
func (t *Twin) token(w http.ResponseWriter, r *http.Request) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "application/x-www-form-urlencoded" || r.ParseForm() != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request", "Missing form parameter: grant_type")
		return
	}
	if g := r.PostForm.Get("grant_type"); g != "client_credentials" {
		if g == "" {
			oauthError(w, http.StatusBadRequest, "invalid_request", "Missing form parameter: grant_type")
			return
		}
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type", "Unsupported grant_type")
		return
	}
	id, secret := r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	if u, p, ok := r.BasicAuth(); ok {
		id, secret = u, p
	}
	o := t.cfg.OAuth
	if subtle.ConstantTimeCompare([]byte(id), []byte(o.ClientID)) != 1 || subtle.ConstantTimeCompare([]byte(secret), []byte(o.ClientSecret)) != 1 {
		oauthError(w, http.StatusUnauthorized, "unauthorized_client", "Invalid client or Invalid client credentials")
		return
	}
	if o.Audience != "" && r.PostForm.Get("audience") != o.Audience {
		oauthError(w, http.StatusBadRequest, "invalid_request", "Invalid audience")
		return
	}
	tok := randomID()
	t.mu.Lock()
	t.tokens[tok] = true
	t.mu.Unlock()
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, "application/json", http.StatusOK, map[string]any{"access_token": tok, "token_type": "Bearer", "expires_in": 300})
}

func oauthError(w http.ResponseWriter, status int, code, description string) {
	writeJSON(w, "application/json", status, map[string]string{"error": code, "error_description": description})
}
