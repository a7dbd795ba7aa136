// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package camunda

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
)

// The twin's controls, served on the engine emulator's address beside its
// own (under /_emulator/camunda/; not Camunda's API, no credentials):
//
//	GET    /_emulator/camunda/exporting  {"state":"RUNNING"|"PAUSED"|"SOFT_PAUSED"}
//	POST   /_emulator/camunda/faults     {"component":"zeebe","partition":2}: that partition fails its next backup
//	                                     {"component":"webapps"}: the next web apps backup fails
//	                                     {"component":"resume"}: the next resume fails once
//	DELETE /_emulator/camunda/faults     drop the faults not struck yet
//	POST   /_emulator/camunda/zeebe/hold, /zeebe/release   hold Zeebe's backups IN_PROGRESS, complete them
//
// The exporting control answers in issue 27's words: RUNNING is Camunda's
// EXPORTING.

// ControlPrefix is the path prefix of the twin's controls.
const ControlPrefix = "/_emulator/camunda/"

// ControlHandler serves the twin's controls.
func (t *Twin) ControlHandler() http.Handler {
	mux := http.NewServeMux()
	ack := map[string]any{"acknowledged": true}
	mux.HandleFunc("GET /_emulator/camunda/exporting", func(w http.ResponseWriter, _ *http.Request) {
		state := t.ExportingState()
		if state == Exporting {
			state = "RUNNING"
		}
		writeJSON(w, "application/json", http.StatusOK, map[string]string{"state": state})
	})
	mux.HandleFunc("POST /_emulator/camunda/faults", func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			Component string `json:"component"`
			Partition int    `json:"partition"`
		}
		b, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err := json.Unmarshal(b, &in); err != nil {
			controlError(w, http.StatusBadRequest, "malformed JSON body: "+err.Error())
			return
		}
		switch in.Component {
		case "zeebe":
			if in.Partition < 1 || in.Partition > t.cfg.Partitions {
				controlError(w, http.StatusBadRequest, "partition must be between 1 and the partition count")
				return
			}
			t.FailPartition(in.Partition)
		case "webapps":
			t.FailNextWebapps()
		case "resume":
			t.FailNextResume()
		default:
			controlError(w, http.StatusBadRequest, `component must be "zeebe" (with "partition"), "webapps" or "resume"`)
			return
		}
		writeJSON(w, "application/json", http.StatusOK, ack)
	})
	mux.HandleFunc("DELETE /_emulator/camunda/faults", func(w http.ResponseWriter, _ *http.Request) {
		t.ClearFaults()
		writeJSON(w, "application/json", http.StatusOK, ack)
	})
	mux.HandleFunc("POST /_emulator/camunda/zeebe/hold", func(w http.ResponseWriter, _ *http.Request) {
		t.HoldZeebeBackups()
		writeJSON(w, "application/json", http.StatusOK, ack)
	})
	mux.HandleFunc("POST /_emulator/camunda/zeebe/release", func(w http.ResponseWriter, _ *http.Request) {
		t.ReleaseZeebeBackups()
		writeJSON(w, "application/json", http.StatusOK, ack)
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Only a control of this very method and path answers, as the
		// engine emulator's controls.
		if _, pattern := mux.Handler(r); !strings.HasPrefix(pattern, r.Method+" ") {
			controlError(w, http.StatusNotFound, "no emulator control "+r.Method+" "+r.URL.Path)
			return
		}
		mux.ServeHTTP(w, r)
	})
}

// controlError is the engine emulator's control error body.
func controlError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, "application/json", status, map[string]any{"error": msg, "status": status})
}
