// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package esemulator

import (
	"context"
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
		created, err := e.createIndexLocked(name, []string{alias})
		if err != nil {
			return err
		}
		for a, meta := range optimizeAliases(prefix, ix.Name) {
			created.aliases[a] = meta
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

// optimizeAliases are the aliases Optimize gives a newly created index of
// class name (camunda/camunda optimize/ ElasticSearchSchemaManager
// createOptimizeIndexFromRequest and createOptimizeIndexWithWriteAliasFromTemplate:
// "<prefix>-<name>" with writeIndex(true); the per-definition instance
// indices also get their read-only multi alias, writeIndex(false), from the
// writers' createMissingIndices(PROCESS_INSTANCE_INDEX,
// Set.of(PROCESS_INSTANCE_MULTI_ALIAS), ..) and the decision instance
// writer's DECISION_INSTANCE_MULTI_ALIAS).
func optimizeAliases(prefix, name string) map[string]aliasMeta {
	yes, no := true, false
	out := map[string]aliasMeta{prefix + "-" + name: {writeIndex: &yes}}
	switch {
	case strings.HasPrefix(name, "process-instance-"):
		out[prefix+"-process-instance"] = aliasMeta{writeIndex: &no}
	case strings.HasPrefix(name, "decision-instance-"):
		out[prefix+"-decision-instance"] = aliasMeta{writeIndex: &no}
	}
	return out
}

// The emulator's own API under /_emulator/. It is not Elasticsearch's,
// needs no credentials and is not in the request log.
//
//	GET    /_emulator/requests                 the request log
//	DELETE /_emulator/requests                 empty it
//	POST   /_emulator/faults/snapshot          {"snapshot":NAME,"state":"FAILED","reason":..}
//	POST   /_emulator/faults/restore           {"index":NAME}: its shard fails its next restore (the index comes back red)
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
//	PUT    /_emulator/disk                     {"total_bytes":N,"available_bytes":M}: the node's disk (_cat/allocation)
//	GET    /_emulator/disk                     {"total_bytes":N,"available_bytes":M,"used_bytes":N-M}

// controlInput is every field a control's JSON body may carry. It is an
// unnamed struct so that a decoding error names a field as ".count".
type controlInput = struct {
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
	Index      string         `json:"index"`
	Offset     *string        `json:"offset"`
	// TotalBytes and AvailableBytes: PUT /_emulator/disk.
	TotalBytes     *int64 `json:"total_bytes"`
	AvailableBytes *int64 `json:"available_bytes"`
}

// control is one control of the emulator: it answers a 200 with its body,
// or refuses.
type control func(in *controlInput, r *http.Request) (obj, *controlRefusal)

// controlRefusal is a control's error: {"error":msg,"status":status}.
type controlRefusal struct {
	status int
	msg    string
}

func refuse(status int, msg string) *controlRefusal {
	return &controlRefusal{status: status, msg: msg}
}

type controlInputKey struct{}

// ServeHTTP answers the control with the input serveControl decoded.
func (c control) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	in, _ := r.Context().Value(controlInputKey{}).(*controlInput)
	if in == nil {
		in = new(controlInput)
	}
	body, refused := c(in, r)
	if refused != nil {
		controlError(w, refused.status, refused.msg)
		return
	}
	writeJSON(w, r, http.StatusOK, body)
}

// serveControl answers a request under /_emulator/: its body is decoded
// first, whatever the control, then the control of its method and path
// answers.
func (e *Emulator) serveControl(w http.ResponseWriter, r *http.Request) {
	var more http.Handler
	e.moreControls.Range(func(prefix, h any) bool {
		if strings.HasPrefix(r.URL.Path, prefix.(string)) {
			more = h.(http.Handler)
		}
		return more == nil
	})
	if more != nil {
		more.ServeHTTP(w, r)
		return
	}
	in := new(controlInput)
	if r.Body != nil && r.ContentLength != 0 {
		if err := json.NewDecoder(r.Body).Decode(in); err != nil {
			controlError(w, http.StatusBadRequest, "malformed JSON body: "+err.Error())
			return
		}
	}
	// Only a control of this very method and path answers: not the HEAD
	// that ServeMux lets a GET pattern answer, nor ServeMux's own answers
	// (a redirect to a clean path or to one with a trailing slash, its 404
	// and 405).
	h, pattern := e.controls.Handler(r)
	if _, ok := h.(control); !ok || !strings.HasPrefix(pattern, r.Method+" ") {
		controlError(w, http.StatusNotFound, "no emulator control "+r.Method+" "+r.URL.Path)
		return
	}
	e.controls.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), controlInputKey{}, in)))
}

// HandleControls serves the requests under prefix (a path under
// /_emulator/, such as "/_emulator/camunda/") with h, beside the emulator's
// own controls: how the Camunda twin (internal/esemulator/camunda) adds its
// controls on the engine's address.
func (e *Emulator) HandleControls(prefix string, h http.Handler) {
	e.moreControls.Store(prefix, h)
}

// controlMux registers the controls.
func (e *Emulator) controlMux() *http.ServeMux {
	m := http.NewServeMux()
	ack := obj{{"acknowledged", true}}
	acknowledge := func(do func(in *controlInput)) control {
		return func(in *controlInput, _ *http.Request) (obj, *controlRefusal) {
			do(in)
			return ack, nil
		}
	}
	m.Handle("GET /_emulator/requests", control(func(*controlInput, *http.Request) (obj, *controlRefusal) {
		reqs := e.Requests()
		if reqs == nil {
			reqs = []Request{}
		}
		return obj{{"requests", reqs}, {"count", len(reqs)}}, nil
	}))
	m.Handle("DELETE /_emulator/requests", acknowledge(func(*controlInput) { e.ResetRequests() }))
	m.Handle("POST /_emulator/faults/snapshot", control(e.failSnapshotControl))
	m.Handle("POST /_emulator/faults/restore", control(func(in *controlInput, _ *http.Request) (obj, *controlRefusal) {
		if in.Index == "" {
			return nil, refuse(http.StatusBadRequest, "index is required: the snapshot's index whose shard fails its next restore")
		}
		e.FailRestoreOf(in.Index)
		return obj{{"acknowledged", true}}, nil
	}))
	m.Handle("POST /_emulator/faults/next", control(e.failNextControl))
	m.Handle("POST /_emulator/faults/drop_answer", acknowledge(func(in *controlInput) { e.DropAnswerNext(in.Method, in.Path, in.Count) }))
	m.Handle("DELETE /_emulator/faults", acknowledge(func(*controlInput) { e.ClearFaults() }))
	m.Handle("POST /_emulator/faults/cut", control(func(in *controlInput, _ *http.Request) (obj, *controlRefusal) {
		return obj{{"cut", e.CutConnections(in.Method, in.Path)}}, nil
	}))
	m.Handle("POST /_emulator/holds", control(e.holdControl))
	m.Handle("GET /_emulator/holds", control(func(*controlInput, *http.Request) (obj, *controlRefusal) {
		return obj{{"held", e.Held("", "*")}}, nil
	}))
	m.Handle("POST /_emulator/holds/release", acknowledge(func(*controlInput) { e.ReleaseHeld() }))
	m.Handle("PUT /_emulator/latency", durationControl(func(in *controlInput) string { return in.Latency }, e.SetLatency))
	m.Handle("PUT /_emulator/snapshot_duration", durationControl(func(in *controlInput) string { return in.Duration }, e.SetSnapshotDuration))
	m.Handle("POST /_emulator/snapshots/pause", acknowledge(func(in *controlInput) { e.PauseSnapshots(in.Names...) }))
	m.Handle("POST /_emulator/snapshots/resume", acknowledge(func(*controlInput) { e.ResumeSnapshots() }))
	// {rest...}, not {repo}/{name}: a path without a name is answered
	// (no snapshot "" in the repository), as a name with a slash is.
	m.Handle("DELETE /_emulator/snapshots/{rest...}", control(func(_ *controlInput, r *http.Request) (obj, *controlRefusal) {
		repo, name, _ := strings.Cut(r.PathValue("rest"), "/")
		if !e.DeleteSnapshot(repo, name) {
			return nil, refuse(http.StatusNotFound, "no snapshot "+name+" in repository "+repo)
		}
		return ack, nil
	}))
	m.Handle("POST /_emulator/seed/optimize", control(e.seedControl))
	m.Handle("PUT /_emulator/repositories/{name...}", control(func(in *controlInput, r *http.Request) (obj, *controlRefusal) {
		typ := in.Type
		if typ == "" {
			typ = "fs"
		}
		e.RegisterRepository(r.PathValue("name"), typ, in.Settings)
		return ack, nil
	}))
	m.Handle("PUT /_emulator/disk", control(e.diskControl))
	m.Handle("GET /_emulator/disk", control(func(*controlInput, *http.Request) (obj, *controlRefusal) {
		return diskAnswer(e.Disk()), nil
	}))
	m.Handle("PUT /_emulator/clock", control(e.clockControl))
	m.Handle("GET /_emulator/clock", control(func(*controlInput, *http.Request) (obj, *controlRefusal) {
		return obj{{"offset", e.ClockOffset().String()}, {"now", e.Now().UTC().Format(time.RFC3339Nano)}}, nil
	}))
	return m
}

// durationControl sets the duration of an input's field.
func durationControl(field func(in *controlInput) string, set func(time.Duration)) control {
	return func(in *controlInput, _ *http.Request) (obj, *controlRefusal) {
		d, refused := parseDuration(field(in))
		if refused != nil {
			return nil, refused
		}
		set(d)
		return obj{{"acknowledged", true}}, nil
	}
}

func parseDuration(s string) (time.Duration, *controlRefusal) {
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, refuse(http.StatusBadRequest, fmt.Sprintf("malformed duration %q: %v", s, err))
	}
	return d, nil
}

// clockControl moves the clock; unlike the other durations, the offset
// must be given (zero puts the clock back).
func (e *Emulator) clockControl(in *controlInput, _ *http.Request) (obj, *controlRefusal) {
	if in.Offset == nil {
		return nil, refuse(http.StatusBadRequest, `offset is required: a Go duration, negative for the past, such as {"offset":"-10m"}`)
	}
	d, refused := parseDuration(*in.Offset)
	if refused != nil {
		return nil, refused
	}
	e.SetClockOffset(d)
	return obj{{"acknowledged", true}}, nil
}

func (e *Emulator) failSnapshotControl(in *controlInput, _ *http.Request) (obj, *controlRefusal) {
	switch in.State {
	case stateFailed, statePartial, stateIncompatible:
	default:
		return nil, refuse(http.StatusBadRequest, "state must be FAILED, PARTIAL or INCOMPATIBLE")
	}
	e.FailSnapshot(in.Snapshot, in.State, in.Reason)
	return obj{{"acknowledged", true}}, nil
}

func (e *Emulator) failNextControl(in *controlInput, _ *http.Request) (obj, *controlRefusal) {
	switch in.Status {
	case 0, 429, 502, 503, 504:
	default:
		return nil, refuse(http.StatusBadRequest, "status must be 429, 502, 503, 504, or 0 to drop the connection")
	}
	e.FailNext(in.Method, in.Path, in.Count, in.Status)
	return obj{{"acknowledged", true}}, nil
}

func (e *Emulator) holdControl(in *controlInput, _ *http.Request) (obj, *controlRefusal) {
	stage := HoldRequest
	switch in.Stage {
	case "", "request":
	case "answer":
		stage = HoldAnswer
	default:
		return nil, refuse(http.StatusBadRequest, "stage must be request or answer")
	}
	e.HoldNext(in.Method, in.Path, in.Count, stage)
	return obj{{"acknowledged", true}}, nil
}

func (e *Emulator) seedControl(in *controlInput, _ *http.Request) (obj, *controlRefusal) {
	if err := e.SeedOptimize(in.Version, in.Prefix); err != nil {
		return nil, refuse(http.StatusBadRequest, err.Error())
	}
	if in.Repository != "" {
		e.RegisterRepository(in.Repository, "fs", map[string]any{"location": "/usr/share/elasticsearch/backups/" + in.Repository})
	}
	return obj{{"acknowledged", true}}, nil
}

func controlError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, nil, status, obj{{"error", msg}, {"status", status}})
}
