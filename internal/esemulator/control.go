// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package esemulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
)

// SeedOptimize creates the indices of an Optimize installation of this
// version with this index prefix, as that Optimize creates them, from the
// provider's table of Optimize releases (optimize.Releases: one source for
// the classes of each release): every static index class
// ("<prefix>-<name>_v<version>", templated ones with "-000001") behind its
// unversioned alias, three process-instance and two decision-instance
// indices, the metadata document holding the schema version, and the
// process definitions.
func (e *Emulator) SeedOptimize(version, prefix string) error {
	if prefix == "" {
		prefix = optimize.DefaultIndexPrefix
	}
	release, err := optimize.ReleaseFor(version)
	if err != nil {
		return err
	}
	definitions := []string{"invoice", "order-fulfillment", "loan-approval"}
	var indices []optimize.IndexClass
	indices = append(indices, release.ImportIndices...)
	indices = append(indices, release.Indices...)
	for _, f := range release.Families {
		switch f.Name {
		case "process-instance-":
			for _, def := range definitions {
				indices = append(indices, optimize.IndexClass{Name: f.Name + def, Version: f.Version})
			}
		case "decision-instance-":
			for _, def := range []string{"invoice-assign-approver", "risk-check"} {
				indices = append(indices, optimize.IndexClass{Name: f.Name + def, Version: f.Version})
			}
		}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, ix := range indices {
		alias := prefix + "-" + ix.Name
		name := fmt.Sprintf("%s_v%d", alias, ix.Version)
		if ix.Rollover {
			name += "-000001"
		}
		if _, err := e.createIndexLocked(name, []string{alias}); err != nil {
			return err
		}
	}
	if _, _, err := e.putDocumentLocked(optimize.MetadataIndex(prefix), "1", map[string]any{
		"schemaVersion":  version,
		"installationId": randomID(),
	}); err != nil {
		return err
	}
	for _, def := range definitions {
		if _, _, err := e.putDocumentLocked(prefix+"-process-definition", def+":1", map[string]any{"key": def, "version": "1"}); err != nil {
			return err
		}
	}
	return nil
}

// serveControl answers the emulator's own API under /_emulator/. It is not
// Elasticsearch's, needs no credentials and is not in the request log.
//
//	GET    /_emulator/requests                 the request log
//	DELETE /_emulator/requests                 empty it
//	POST   /_emulator/faults/snapshot          {"snapshot":NAME,"state":"FAILED","reason":..}
//	POST   /_emulator/faults/next              {"method":"GET","path":"/_snapshot/*","count":2,"status":503}
//	POST   /_emulator/faults/drop_answer       {"method":"PUT","path":"/_snapshot/*","count":1}: carry out, answer nothing
//	PUT    /_emulator/latency                  {"latency":"20ms"}
//	PUT    /_emulator/snapshot_duration        {"duration":"2s"}
//	POST   /_emulator/snapshots/pause, /resume   pause: {"names":[..]} pauses only those
//	POST   /_emulator/holds                    {"method":"PUT","path":"/_snapshot/*","count":1,"stage":"request"|"answer"}
//	GET    /_emulator/holds                    {"held":N}: requests held now
//	POST   /_emulator/holds/release            let every held request go on
//	DELETE /_emulator/faults                   drop the request faults not struck yet
//	POST   /_emulator/faults/cut               {"method":"PUT","path":"/_snapshot/*"}: cut requests in flight
//	DELETE /_emulator/snapshots/{repo}/{name}  delete out of band
//	POST   /_emulator/seed/optimize            {"version":"3.9.0","prefix":"optimize","repository":"backups"}
//	PUT    /_emulator/repositories/{name}      {"type":"fs","settings":{..}}
//	PUT    /_emulator/clock                    {"offset":"-10m"}: stamp times that far from the wall clock
//	GET    /_emulator/clock                    {"offset":"-10m0s","now":RFC 3339}
func (e *Emulator) serveControl(w http.ResponseWriter, r *http.Request) {
	path := strings.TrimPrefix(r.URL.Path, "/_emulator/")
	var in struct {
		Snapshot   string         `json:"snapshot"`
		State      string         `json:"state"`
		Reason     string         `json:"reason"`
		Method     string         `json:"method"`
		Path       string         `json:"path"`
		Count      int            `json:"count"`
		Status     int            `json:"status"`
		Latency    string         `json:"latency"`
		Duration   string         `json:"duration"`
		Version    string         `json:"version"`
		Prefix     string         `json:"prefix"`
		Type       string         `json:"type"`
		Repository string         `json:"repository"`
		Settings   map[string]any `json:"settings"`
		Names      []string       `json:"names"`
		Stage      string         `json:"stage"`
		Offset     *string        `json:"offset"`
	}
	if r.Body != nil && r.ContentLength != 0 {
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
			controlError(w, http.StatusBadRequest, "malformed JSON body: "+err.Error())
			return
		}
	}
	duration := func(s string) (time.Duration, bool) {
		d, err := time.ParseDuration(s)
		if err != nil {
			controlError(w, http.StatusBadRequest, fmt.Sprintf("malformed duration %q: %v", s, err))
			return 0, false
		}
		return d, true
	}
	ok := obj{{"acknowledged", true}}
	switch {
	case path == "requests" && r.Method == http.MethodGet:
		reqs := e.Requests()
		if reqs == nil {
			reqs = []Request{}
		}
		writeJSON(w, r, http.StatusOK, obj{{"requests", reqs}, {"count", len(reqs)}})
	case path == "requests" && r.Method == http.MethodDelete:
		e.ResetRequests()
		writeJSON(w, r, http.StatusOK, ok)
	case path == "faults/snapshot" && r.Method == http.MethodPost:
		switch in.State {
		case stateFailed, statePartial, stateIncompatible:
		default:
			controlError(w, http.StatusBadRequest, "state must be FAILED, PARTIAL or INCOMPATIBLE")
			return
		}
		e.FailSnapshot(in.Snapshot, in.State, in.Reason)
		writeJSON(w, r, http.StatusOK, ok)
	case path == "faults/next" && r.Method == http.MethodPost:
		switch in.Status {
		case 0, 429, 502, 503, 504:
		default:
			controlError(w, http.StatusBadRequest, "status must be 429, 502, 503, 504, or 0 to drop the connection")
			return
		}
		e.FailNext(in.Method, in.Path, in.Count, in.Status)
		writeJSON(w, r, http.StatusOK, ok)
	case path == "faults/drop_answer" && r.Method == http.MethodPost:
		e.DropAnswerNext(in.Method, in.Path, in.Count)
		writeJSON(w, r, http.StatusOK, ok)
	case path == "holds" && r.Method == http.MethodPost:
		stage := HoldRequest
		switch in.Stage {
		case "", "request":
		case "answer":
			stage = HoldAnswer
		default:
			controlError(w, http.StatusBadRequest, "stage must be request or answer")
			return
		}
		e.HoldNext(in.Method, in.Path, in.Count, stage)
		writeJSON(w, r, http.StatusOK, ok)
	case path == "holds" && r.Method == http.MethodGet:
		writeJSON(w, r, http.StatusOK, obj{{"held", e.Held("", "*")}})
	case path == "holds/release" && r.Method == http.MethodPost:
		e.ReleaseHeld()
		writeJSON(w, r, http.StatusOK, ok)
	case path == "faults" && r.Method == http.MethodDelete:
		e.ClearFaults()
		writeJSON(w, r, http.StatusOK, ok)
	case path == "faults/cut" && r.Method == http.MethodPost:
		writeJSON(w, r, http.StatusOK, obj{{"cut", e.CutConnections(in.Method, in.Path)}})
	case path == "latency" && r.Method == http.MethodPut:
		if d, good := duration(in.Latency); good {
			e.SetLatency(d)
			writeJSON(w, r, http.StatusOK, ok)
		}
	case path == "snapshot_duration" && r.Method == http.MethodPut:
		if d, good := duration(in.Duration); good {
			e.SetSnapshotDuration(d)
			writeJSON(w, r, http.StatusOK, ok)
		}
	case path == "snapshots/pause" && r.Method == http.MethodPost:
		e.PauseSnapshots(in.Names...)
		writeJSON(w, r, http.StatusOK, ok)
	case path == "snapshots/resume" && r.Method == http.MethodPost:
		e.ResumeSnapshots()
		writeJSON(w, r, http.StatusOK, ok)
	case strings.HasPrefix(path, "snapshots/") && r.Method == http.MethodDelete:
		repo, name, _ := strings.Cut(strings.TrimPrefix(path, "snapshots/"), "/")
		if !e.DeleteSnapshot(repo, name) {
			controlError(w, http.StatusNotFound, "no snapshot "+name+" in repository "+repo)
			return
		}
		writeJSON(w, r, http.StatusOK, ok)
	case path == "seed/optimize" && r.Method == http.MethodPost:
		if err := e.SeedOptimize(in.Version, in.Prefix); err != nil {
			controlError(w, http.StatusBadRequest, err.Error())
			return
		}
		if in.Repository != "" {
			e.RegisterRepository(in.Repository, "fs", map[string]any{"location": "/usr/share/elasticsearch/backups/" + in.Repository})
		}
		writeJSON(w, r, http.StatusOK, ok)
	case strings.HasPrefix(path, "repositories/") && r.Method == http.MethodPut:
		typ := in.Type
		if typ == "" {
			typ = "fs"
		}
		e.RegisterRepository(strings.TrimPrefix(path, "repositories/"), typ, in.Settings)
		writeJSON(w, r, http.StatusOK, ok)
	case path == "clock" && r.Method == http.MethodPut:
		if in.Offset == nil {
			controlError(w, http.StatusBadRequest, `offset is required: a Go duration, negative for the past, such as {"offset":"-10m"}`)
			return
		}
		if d, good := duration(*in.Offset); good {
			e.SetClockOffset(d)
			writeJSON(w, r, http.StatusOK, ok)
		}
	case path == "clock" && r.Method == http.MethodGet:
		writeJSON(w, r, http.StatusOK, obj{{"offset", e.ClockOffset().String()}, {"now", e.Now().UTC().Format(time.RFC3339Nano)}})
	default:
		controlError(w, http.StatusNotFound, "no emulator control "+r.Method+" /_emulator/"+path)
	}
}

func controlError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, nil, status, obj{{"error", msg}, {"status", status}})
}
