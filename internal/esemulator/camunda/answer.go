// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package camunda

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// How Camunda's endpoints answer: Spring Boot actuator web endpoints,
// Spring MVC controllers (Operate's and Tasklist's backups, the exporting
// endpoint) and 8.10's REST API (RFC 7807 problems).

// actuatorMediaType is what a Spring Boot actuator web endpoint answers
// to a client that accepts anything (curl): its first producible type.
const actuatorMediaType = "application/vnd.spring-boot.actuator.v3+json"

func writeJSON(w http.ResponseWriter, contentType string, status int, v any) {
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	if v != nil {
		// Jackson escapes no HTML characters.
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(v)
	}
}

// actuatorJSON answers as a @WebEndpoint operation: application/json when
// the client asks for it, else the actuator's own type.
func actuatorJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	ct := actuatorMediaType
	if accept := r.Header.Get("Accept"); strings.Contains(accept, "application/json") && !strings.Contains(accept, actuatorMediaType) {
		ct = "application/json"
	}
	if status == http.StatusNoContent {
		w.WriteHeader(status)
		return
	}
	writeJSON(w, ct, status, v)
}

// actuatorMessage is io.camunda.management.backups.Error: {"message": …}.
func actuatorMessage(w http.ResponseWriter, r *http.Request, status int, msg string) {
	actuatorJSON(w, r, status, map[string]string{"message": msg})
}

// springError is Spring Boot's BasicErrorController body, which answers a
// request refused before any endpoint code runs (415, 400 of an unreadable
// body, 404, 405).
func springError(w http.ResponseWriter, r *http.Request, status int) {
	writeJSON(w, "application/json", status, struct {
		Timestamp string `json:"timestamp"`
		Status    int    `json:"status"`
		Error     string `json:"error"`
		Path      string `json:"path"`
	}{time.Now().UTC().Format("2006-01-02T15:04:05.000-07:00"), status, http.StatusText(status), r.URL.Path})
}

// problem is 8.10's ProblemDetail (RestErrorMapper: title = the status
// name, application/problem+json; type and instance are Spring's defaults,
// GAP §9.9).
func problem(w http.ResponseWriter, r *http.Request, status int, title, detail string) {
	writeJSON(w, "application/problem+json", status, struct {
		Type     string `json:"type"`
		Title    string `json:"title"`
		Status   int    `json:"status"`
		Detail   string `json:"detail"`
		Instance string `json:"instance"`
	}{"about:blank", title, status, detail, r.URL.Path})
}

// envelope is how the 8.6–8.9 (and 8.10 actuator) exporting endpoint
// answers: a @RestControllerEndpoint returning a WebEndpointResponse, which
// Spring MVC serializes as the body of an HTTP 200
// (ExportingEndpoint.java; 8.8 management-api.md: "This endpoint always
// returns HTTP 200. Check the status field … 204 indicates success and 500
// indicates failure").
func envelope(w http.ResponseWriter, status int, body any) {
	writeJSON(w, "application/json", http.StatusOK, struct {
		Body        any  `json:"body"`
		Status      int  `json:"status"`
		ContentType *int `json:"contentType"`
	}{body, status, nil})
}

func randomID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func uuid() string {
	s := randomID()
	return s[:8] + "-" + s[8:12] + "-" + s[12:16] + "-" + s[16:20] + "-" + s[20:]
}

// isJSON tells whether a request's Content-Type is one a JSON-consuming
// endpoint takes: "Spring Boot's actuator makes any write operation with a
// parameter consume application/json" (8.10 BackupEndpoint Javadoc), and a
// Spring MVC @RequestBody reads JSON only.
func isJSON(r *http.Request) bool {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && (mt == "application/json" || mt == actuatorMediaType)
}

// backupIDBody reads {"backupId": N}: present is false when the body or
// the field is missing (or null); ok is false when it is not a JSON object
// with an integer backupId.
func backupIDBody(r *http.Request) (id int64, present, ok bool) {
	b, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		return 0, false, false
	}
	if len(strings.TrimSpace(string(b))) == 0 {
		return 0, false, true
	}
	var body map[string]json.RawMessage
	if err := json.Unmarshal(b, &body); err != nil {
		return 0, false, false
	}
	raw, has := body["backupId"]
	if !has || string(raw) == "null" {
		return 0, false, true
	}
	n, err := strconv.ParseInt(string(raw), 10, 64)
	if err != nil {
		return 0, false, false
	}
	return n, true, true
}

// pathID reads a backup id path segment.
func pathID(s string) (int64, bool) {
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// zeebeTime is how Zeebe stamps a partition backup: an OffsetDateTime in
// UTC, e.g. "2025-06-03T08:06:06.246997293Z".
func zeebeTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// scheduledMessage is TakeBackupResponse's text (all versions still say
// actuator/backups).
func scheduledMessage(id int64) string {
	return fmt.Sprintf("A backup with id %d has been scheduled. Use GET actuator/backups/%d to monitor the status.", id, id)
}

// springRouting answers what mux has no route for as Spring does: 404,
// or 405 when another method has one; Spring Boot's error body, or a
// problem under /v2.
func springRouting(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, pattern := mux.Handler(r); pattern != "" {
			mux.ServeHTTP(w, r)
			return
		}
		status := http.StatusNotFound
		for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete} {
			other := r.Clone(r.Context())
			other.Method = m
			if _, pattern := mux.Handler(other); pattern != "" {
				status = http.StatusMethodNotAllowed
				break
			}
		}
		if strings.HasPrefix(r.URL.Path, "/v2/") {
			problem(w, r, status, http.StatusText(status), fmt.Sprintf("No endpoint %s %s.", r.Method, r.URL.Path))
			return
		}
		springError(w, r, status)
	})
}

// softParam reads the soft query parameter as Spring binds a boolean
// @RequestParam(defaultValue = "false"): true, on, yes, 1 and false, off,
// no, 0 (any case; absent or empty is false); anything else is refused
// (400).
func softParam(r *http.Request) (soft, ok bool) {
	switch strings.ToLower(strings.TrimSpace(r.URL.Query().Get("soft"))) {
	case "true", "on", "yes", "1":
		return true, true
	case "", "false", "off", "no", "0":
		return false, true
	}
	return false, false
}
