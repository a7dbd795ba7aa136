// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package esemulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"
)

// Snapshot states, as Elasticsearch names them.
const (
	stateInProgress   = "IN_PROGRESS"
	stateSuccess      = "SUCCESS"
	statePartial      = "PARTIAL"
	stateFailed       = "FAILED"
	stateIncompatible = "INCOMPATIBLE"
)

type snapshot struct {
	repo              string
	name              string
	uuid              string
	state             string
	reason            string
	indices           []string
	content           map[string]*index // the indices as they were when the snapshot started
	includeGlobal     bool
	metadata          map[string]any
	start, end        time.Time
	total, successful int
	failures          []obj
	versionID         int
	version           string
	deadline          time.Time
	// clock is the emulator's clock (Emulator.Now), read by now.
	clock func() time.Time
	timer *time.Timer
	done  chan struct{}
}

// Snapshot is what the emulator holds of one snapshot.
type Snapshot struct {
	Repository string
	Name       string
	UUID       string
	State      string
	Reason     string
	Indices    []string
	Start, End time.Time
	Metadata   map[string]any
	// Shards: total, successful and failed, as Elasticsearch reports them.
	ShardsTotal, ShardsSuccessful, ShardsFailed int
}

func (s *snapshot) public(repo string) Snapshot {
	return Snapshot{Repository: repo, Name: s.name, UUID: s.uuid, State: s.state, Reason: s.reason,
		Indices: append([]string(nil), s.indices...), Start: s.start, End: s.end, Metadata: deepCopy(s.metadata),
		ShardsTotal: s.total, ShardsSuccessful: s.successful, ShardsFailed: s.total - s.successful}
}

// Snapshots returns the snapshots of a repository, in start order.
func (e *Emulator) Snapshots(repo string) []Snapshot {
	e.mu.Lock()
	defer e.mu.Unlock()
	r, ok := e.repositories[repo]
	if !ok {
		return nil
	}
	var out []Snapshot
	for _, s := range r.sorted() {
		out = append(out, s.public(repo))
	}
	return out
}

// Snapshot returns one snapshot of a repository.
func (e *Emulator) Snapshot(repo, name string) (Snapshot, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if r, ok := e.repositories[repo]; ok {
		if s, ok := r.snapshots[name]; ok {
			return s.public(repo), true
		}
	}
	return Snapshot{}, false
}

// DeleteSnapshot removes a snapshot behind Elasticsearch's back, as someone
// deleting it out of band would (the request is not in the request log). A
// running snapshot is aborted first.
func (e *Emulator) DeleteSnapshot(repo, name string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	r, ok := e.repositories[repo]
	if !ok {
		return false
	}
	s, ok := r.snapshots[name]
	if !ok {
		return false
	}
	e.abortLocked(s)
	r.store.remove(name)
	return true
}

func (r *repository) sorted() []*snapshot {
	out := make([]*snapshot, 0, len(r.snapshots))
	for _, s := range r.snapshots {
		out = append(out, s)
	}
	sortByStart(out)
	return out
}

// sortByStart orders snapshots as the get snapshots API lists them: by start
// time, then by name.
func sortByStart(ss []*snapshot) {
	sort.Slice(ss, func(i, j int) bool {
		if !ss[i].start.Equal(ss[j].start) {
			return ss[i].start.Before(ss[j].start)
		}
		return ss[i].name < ss[j].name
	})
}

// snapshottingLocked says whether a running snapshot holds this index.
func (e *Emulator) snapshottingLocked(name string) bool {
	for _, r := range e.repositories {
		for _, s := range r.snapshots {
			if s.state == stateInProgress {
				if _, ok := s.content[name]; ok {
					return true
				}
			}
		}
	}
	return false
}

// validateSnapshotName is SnapshotsService.validate of Elasticsearch 7.17.
func validateSnapshotName(repo, name string) *esError {
	switch {
	case name == "":
		return errInvalidSnapshotName(repo, name, "cannot be empty")
	case strings.Contains(name, " "):
		return errInvalidSnapshotName(repo, name, "must not contain whitespace")
	case strings.Contains(name, ","):
		return errInvalidSnapshotName(repo, name, "must not contain ','")
	case strings.Contains(name, "#"):
		return errInvalidSnapshotName(repo, name, "must not contain '#'")
	case name[0] == '_':
		return errInvalidSnapshotName(repo, name, "must not start with '_'")
	case strings.ToLower(name) != name:
		return errInvalidSnapshotName(repo, name, "must be lowercase")
	case !validFileName(name):
		return errInvalidSnapshotName(repo, name, "must not contain the following characters "+invalidFilenameChars)
	}
	return nil
}

// createRequest is the body of a create snapshot request.
type createRequest struct {
	indices           []string
	ignoreUnavailable bool
	includeGlobal     bool
	partial           bool
	metadata          map[string]any
}

func parseCreateRequest(body []byte) (*createRequest, *esError) {
	req := &createRequest{includeGlobal: true}
	if len(body) == 0 {
		return req, nil
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil {
		return nil, errParse("Failed to parse content to map")
	}
	for _, k := range sortedKeys(raw) {
		v := raw[k]
		switch k {
		case "indices":
			idx, err := stringList(v)
			if err != nil {
				return nil, newError(http.StatusBadRequest, "elasticsearch_parse_exception", "malformed indices section, should be an array of strings")
			}
			req.indices = idx
		case "ignore_unavailable":
			if err := json.Unmarshal(v, &req.ignoreUnavailable); err != nil {
				return nil, errIllegalArgument("malformed ignore_unavailable")
			}
		case "include_global_state":
			if err := json.Unmarshal(v, &req.includeGlobal); err != nil {
				return nil, errIllegalArgument("malformed include_global_state")
			}
		case "partial":
			if err := json.Unmarshal(v, &req.partial); err != nil {
				return nil, errIllegalArgument("malformed partial")
			}
		case "metadata":
			if string(v) == "null" {
				continue
			}
			if err := json.Unmarshal(v, &req.metadata); err != nil {
				return nil, errIllegalArgument("malformed metadata, should be an object")
			}
		case "allow_no_indices", "expand_wildcards", "feature_states", "settings":
		default:
			return nil, errIllegalArgument("Unknown parameter " + k)
		}
	}
	if req.metadata != nil {
		b, _ := json.Marshal(req.metadata)
		if len(b) > 1024 {
			return nil, errValidation(fmt.Sprintf("metadata must be smaller than 1024 bytes, but was [%d]", len(b)))
		}
	}
	return req, nil
}

// stringList reads a JSON array of strings or a comma-separated string.
func stringList(v json.RawMessage) ([]string, error) {
	var list []string
	if err := json.Unmarshal(v, &list); err == nil {
		return list, nil
	}
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		return nil, err
	}
	return splitList(s), nil
}

func (e *Emulator) createSnapshot(repoName, name string, q queryParams, body []byte, done <-chan struct{}) (answer, *esError) {
	req, perr := parseCreateRequest(body)
	e.mu.Lock()
	r, ok := e.repositories[repoName]
	if !ok {
		e.mu.Unlock()
		return answer{}, errRepositoryMissing(repoName)
	}
	if err := validateSnapshotName(repoName, name); err != nil {
		e.mu.Unlock()
		return answer{}, err
	}
	if perr != nil {
		e.mu.Unlock()
		return answer{}, perr
	}
	if existing, ok := r.snapshots[name]; ok {
		e.mu.Unlock()
		err := errInvalidSnapshotName(repoName, name, "snapshot with the same name already exists")
		if existing.state == stateInProgress {
			err = errInvalidSnapshotName(repoName, name, "snapshot with the same name is already in-progress")
		}
		err.typ = e.d.nameInUseType
		return answer{}, err
	}
	exprs := req.indices
	if len(exprs) == 0 {
		exprs = []string{"_all"}
	}
	names, err := e.resolveLocked(exprs, req.ignoreUnavailable, true)
	if err != nil {
		e.mu.Unlock()
		return answer{}, err
	}
	now := e.Now()
	s := &snapshot{repo: repoName, name: name, uuid: randomID(), state: stateInProgress, indices: names,
		content: map[string]*index{}, includeGlobal: req.includeGlobal, metadata: req.metadata,
		start: now, versionID: e.d.versionID, version: e.d.version, done: make(chan struct{}), clock: e.Now}
	for _, n := range names {
		s.content[n] = e.indices[n].clone()
	}
	r.store.add(s)
	d := e.duration
	if d <= 0 {
		e.finishLocked(s)
	} else {
		s.deadline = now.Add(d)
		s.timer = time.AfterFunc(d, func() {
			e.mu.Lock()
			defer e.mu.Unlock()
			e.finishLocked(s)
		})
	}
	e.mu.Unlock()

	if !q.bool("wait_for_completion", false) {
		return answerOK(obj{{"accepted", true}}), nil
	}
	select {
	case <-s.done:
	case <-done:
		return answerOK(obj{{"accepted", true}}), nil
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	// RestCreateSnapshotAction answers through a plain RestToXContentListener:
	// 200 whatever state the snapshot ended in (FAILED included).
	return answerOK(obj{{"snapshot", s.info(e.d.infoOptions(infoOptions{verbose: true, repo: repoName, includeRepo: true}))}}), nil
}

// now is the emulator's clock, never before the snapshot's start: a clock
// moved back while the snapshot runs does not make it end before it began.
func (s *snapshot) now() time.Time {
	now := time.Now()
	if s.clock != nil {
		now = s.clock()
	}
	if now.Before(s.start) {
		return s.start
	}
	return now
}

// finishLocked ends a running snapshot with SUCCESS or the outcome a fault
// asked for. A paused snapshot waits for ResumeSnapshots instead. Callers hold
// e.mu.
func (e *Emulator) finishLocked(s *snapshot) {
	if s.state != stateInProgress {
		return
	}
	if e.pauseAll || e.pauseNames[s.name] {
		e.pausedSnapshots = append(e.pausedSnapshots, s)
		return
	}
	s.end = s.now()
	s.total = len(s.indices)
	s.successful = s.total
	s.state = stateSuccess
	if f, ok := e.failures[s.name]; ok {
		s.applyOutcome(f)
	}
	close(s.done)
}

// applyOutcome makes a snapshot end FAILED, PARTIAL or INCOMPATIBLE.
func (s *snapshot) applyOutcome(f snapshotFault) {
	shardFailure := func(idx string) obj {
		return obj{{"index", idx}, {"index_uuid", idx}, {"shard_id", 0}, {"reason", f.reason},
			{"node_id", "esemulator-node"}, {"status", "INTERNAL_SERVER_ERROR"}}
	}
	s.total = len(s.indices)
	switch f.state {
	case stateFailed:
		s.state, s.reason = stateFailed, f.reason
		s.successful = 0
		s.failures = nil
		for _, idx := range s.indices {
			s.failures = append(s.failures, shardFailure(idx))
		}
	case statePartial:
		s.state = statePartial
		s.successful = s.total
		s.failures = nil
		if s.total > 0 {
			s.successful = s.total - 1
			s.failures = []obj{shardFailure(s.indices[len(s.indices)-1])}
		}
	case stateIncompatible:
		s.state, s.reason = stateIncompatible, f.reason
		s.versionID, s.version = 6080099, "6.8.0"
		s.total, s.successful, s.failures = 0, 0, nil
	default:
		s.state, s.reason = f.state, f.reason
	}
}

// abortLocked aborts a running snapshot, as a delete does: it ends FAILED.
func (e *Emulator) abortLocked(s *snapshot) {
	if s.state != stateInProgress {
		return
	}
	if s.timer != nil {
		s.timer.Stop()
	}
	for i, p := range e.pausedSnapshots {
		if p == s {
			e.pausedSnapshots = append(e.pausedSnapshots[:i], e.pausedSnapshots[i+1:]...)
			break
		}
	}
	s.end = s.now()
	s.state, s.reason = stateFailed, "Snapshot was aborted by deletion"
	s.total = len(s.indices)
	s.successful = 0
	for _, idx := range s.indices {
		s.failures = append(s.failures, obj{{"index", idx}, {"index_uuid", idx}, {"shard_id", 0},
			{"reason", "aborted"}, {"node_id", "esemulator-node"}, {"status", "INTERNAL_SERVER_ERROR"}})
	}
	close(s.done)
}

func (e *Emulator) deleteSnapshots(repoName, names string) (answer, *esError) {
	e.mu.Lock()
	defer e.mu.Unlock()
	r, ok := e.repositories[repoName]
	if !ok {
		return answer{}, errRepositoryMissing(repoName)
	}
	matched, missing, _ := matchSnapshots(r, splitList(names))
	if missing != "" {
		return answer{}, errSnapshotMissing(repoName, missing)
	}
	for _, s := range matched {
		e.abortLocked(s)
		r.store.remove(s.name)
	}
	return answerOK(obj{{"acknowledged", true}}), nil
}
