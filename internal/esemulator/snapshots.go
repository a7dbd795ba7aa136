// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package esemulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
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

type repository struct {
	name      string
	typ       string
	uuid      string
	settings  map[string]any
	snapshots map[string]*snapshot // store.snapshots, for reading
	store     *store
}

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

// RegisterRepository registers (or replaces) a snapshot repository.
func (e *Emulator) RegisterRepository(name, typ string, settings map[string]any) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.putRepositoryLocked(name, typ, settings)
}

// putRepositoryLocked registers a repository. Snapshots live in the
// repository's storage, not in its registration: registering the same fs
// location again, under any name, finds the same snapshots and UUID, as
// Elasticsearch does.
func (e *Emulator) putRepositoryLocked(name, typ string, settings map[string]any) {
	if settings == nil {
		settings = map[string]any{}
	}
	key := typ + ":" + name
	if loc, ok := settings["location"]; ok {
		key = typ + ":" + fmt.Sprint(loc)
	}
	st, ok := e.stores[key]
	if !ok {
		st = &store{uuid: randomID(), snapshots: map[string]*snapshot{}}
		e.stores[key] = st
	}
	e.repositories[name] = &repository{name: name, typ: typ, uuid: st.uuid, settings: settings, snapshots: st.snapshots, store: st}
}

// store is what a repository's storage holds.
type store struct {
	uuid      string
	snapshots map[string]*snapshot
	// names holds the keys of snapshots in byte order, so that a pattern
	// resolves by a binary search on its literal prefix instead of a scan of
	// every snapshot (a refresh of 1,000 backups sends 1,000 such requests
	// to a repository of 2,000 snapshots).
	names []string
}

// add stores a snapshot under its name, which must be new.
func (st *store) add(s *snapshot) {
	st.snapshots[s.name] = s
	i, _ := slices.BinarySearch(st.names, s.name)
	st.names = slices.Insert(st.names, i, s.name)
}

// remove forgets a snapshot.
func (st *store) remove(name string) {
	delete(st.snapshots, name)
	if i, ok := slices.BinarySearch(st.names, name); ok {
		st.names = slices.Delete(st.names, i, i+1)
	}
}

// withPrefix returns the names that start with prefix, in byte order (a
// view of names: not to be kept across a change).
func (st *store) withPrefix(prefix string) []string {
	i, _ := slices.BinarySearch(st.names, prefix)
	rest := st.names[i:]
	// The names from i on that start with prefix come first.
	n := sort.Search(len(rest), func(k int) bool { return !strings.HasPrefix(rest[k], prefix) })
	return rest[:n]
}

// Repositories returns the names of the registered repositories, sorted.
func (e *Emulator) Repositories() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return sortedKeys(e.repositories)
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

func (e *Emulator) createSnapshot(repoName, name string, q queryParams, body []byte, done <-chan struct{}) (int, any) {
	req, perr := parseCreateRequest(body)
	e.mu.Lock()
	r, ok := e.repositories[repoName]
	if !ok {
		e.mu.Unlock()
		return 0, errRepositoryMissing(repoName)
	}
	if err := validateSnapshotName(repoName, name); err != nil {
		e.mu.Unlock()
		return 0, err
	}
	if perr != nil {
		e.mu.Unlock()
		return 0, perr
	}
	if existing, ok := r.snapshots[name]; ok {
		e.mu.Unlock()
		err := errInvalidSnapshotName(repoName, name, "snapshot with the same name already exists")
		if existing.state == stateInProgress {
			err = errInvalidSnapshotName(repoName, name, "snapshot with the same name is already in-progress")
		}
		err.typ = e.d.nameInUseType
		return 0, err
	}
	exprs := req.indices
	if len(exprs) == 0 {
		exprs = []string{"_all"}
	}
	names, err := e.resolveLocked(exprs, req.ignoreUnavailable, true)
	if err != nil {
		e.mu.Unlock()
		return 0, err
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
		return http.StatusOK, obj{{"accepted", true}}
	}
	select {
	case <-s.done:
	case <-done:
		return http.StatusOK, obj{{"accepted", true}}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	// RestCreateSnapshotAction answers through a plain RestToXContentListener:
	// 200 whatever state the snapshot ended in (FAILED included).
	return http.StatusOK, obj{{"snapshot", s.info(e.d.infoOptions(infoOptions{verbose: true, repo: repoName, includeRepo: true}))}}
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
// asked for. While snapshots are paused it is held instead. Callers hold
// e.mu.
func (e *Emulator) finishLocked(s *snapshot) {
	if s.state != stateInProgress {
		return
	}
	if e.paused || e.pausedNames[s.name] {
		e.held = append(e.held, s)
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
	for i, h := range e.held {
		if h == s {
			e.held = append(e.held[:i], e.held[i+1:]...)
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

const timeFormat = "2006-01-02T15:04:05.000Z"

type infoOptions struct {
	// What the engine writes (dialect.infoOptions sets them).
	featureStates, remoteStoreShallow bool

	verbose      bool
	repo         string // the repository it was read through
	includeRepo  bool
	indexDetails bool
	human        bool
}

// info is SnapshotInfo's JSON as the get snapshots API writes it.
func (s *snapshot) info(opt infoOptions) obj {
	indices := append([]string{}, s.indices...)
	// Room for every field a verbose info has, so that it is built without
	// growing.
	o := append(make(obj, 0, 24), kv{"snapshot", s.name}, kv{"uuid", s.uuid})
	if opt.includeRepo {
		o = o.set("repository", opt.repo)
	}
	if !opt.verbose {
		return o.set("indices", indices).set("data_streams", []string{}).set("state", s.state)
	}
	o = o.set("version_id", s.versionID).set("version", s.version)
	if opt.remoteStoreShallow {
		o = o.set("remote_store_index_shallow_copy", false)
	}
	o = o.set("indices", indices).
		set("data_streams", []string{}).set("include_global_state", s.includeGlobal)
	if opt.indexDetails && s.state != stateInProgress {
		details := obj{}
		for _, n := range s.indices {
			size := 225 + 512*len(s.content[n].docs)
			d := obj{{"shard_count", 1}}
			if opt.human {
				d = d.set("size", fmt.Sprintf("%db", size))
			}
			details = details.set(n, d.set("size_in_bytes", size).set("max_segments_per_shard", 1))
		}
		o = o.set("index_details", details)
	}
	if s.metadata != nil {
		o = o.set("metadata", s.metadata)
	}
	o = o.set("state", s.state)
	if s.reason != "" {
		o = o.set("reason", s.reason)
	}
	o = o.set("start_time", s.start.UTC().Format(timeFormat)).set("start_time_in_millis", s.start.UnixMilli())
	if s.state == stateInProgress {
		// SnapshotInfo.toXContent(External) writes the end time whenever
		// verbose, the epoch while running (endTime 0), and a duration of
		// max(0, endTime - startTime): ES 8.x and OS 2.x alike.
		o = o.set("end_time", time.UnixMilli(0).UTC().Format(timeFormat)).set("end_time_in_millis", 0).set("duration_in_millis", 0)
	} else {
		o = o.set("end_time", s.end.UTC().Format(timeFormat)).set("end_time_in_millis", s.end.UnixMilli()).
			set("duration_in_millis", s.end.UnixMilli()-s.start.UnixMilli()) // as SnapshotInfo: endTime - startTime
	}
	failures := s.failures
	if failures == nil {
		failures = []obj{}
	}
	total, successful := s.total, s.successful
	if s.state == stateInProgress {
		total, successful = 0, 0
	}
	o = o.set("failures", failures).
		set("shards", obj{{"total", total}, {"failed", total - successful}, {"successful", successful}})
	if opt.featureStates {
		o = o.set("feature_states", []any{})
	}
	return o
}

// matchSnapshots resolves snapshot names, patterns, _all and -exclusions
// against a repository, in start order. missing is the first exact name not
// found. Expressions apply left to right: a later one adds or removes what
// an earlier one matched.
func matchSnapshots(r *repository, exprs []string) (matched []*snapshot, missing string, all bool) {
	set := map[string]bool{}
	for i, x := range exprs {
		exclude := false
		if i > 0 && strings.HasPrefix(x, "-") {
			exclude, x = true, x[1:]
		}
		switch {
		case x == "_all" || x == "*":
			all = true
			for _, n := range r.store.names {
				set[n] = true
			}
		case isPattern(x):
			// Whatever glob matches starts with the text before the
			// first '*'.
			prefix, _, _ := strings.Cut(x, "*")
			for _, n := range r.store.withPrefix(prefix) {
				if glob(x, n) {
					set[n] = !exclude
				}
			}
		default:
			if _, ok := r.snapshots[x]; ok {
				set[x] = !exclude
			} else if !exclude && missing == "" {
				missing = x
			}
		}
	}
	for n, in := range set {
		if in {
			matched = append(matched, r.snapshots[n])
		}
	}
	sortByStart(matched)
	return matched, missing, all
}

// getSnapshots is GET /_snapshot/{repos}/{names}. Repositories may be a
// comma list, wildcards or _all (since 7.13); snapshots come in start order
// within each repository, repositories in name order.
func (e *Emulator) getSnapshots(repoNames, names string, q queryParams) (int, any) {
	e.mu.Lock()
	defer e.mu.Unlock()
	var repos []*repository
	for _, x := range splitList(repoNames) {
		if x == "_all" || isPattern(x) {
			for _, n := range sortedKeys(e.repositories) {
				if x == "_all" || glob(x, n) {
					repos = append(repos, e.repositories[n])
				}
			}
			continue
		}
		r, ok := e.repositories[x]
		if !ok {
			return 0, errRepositoryMissing(x)
		}
		repos = append(repos, r)
	}
	exprs := splitList(names)
	ignore := q.bool("ignore_unavailable", false)
	opt := e.d.infoOptions(infoOptions{verbose: q.bool("verbose", true), includeRepo: q.bool("include_repository", true),
		indexDetails: q.bool("index_details", false), human: q.bool("human", false)})
	infos := []obj{}
	for _, r := range repos {
		matched, missing, all := matchSnapshots(r, exprs)
		if missing != "" && !ignore {
			return 0, errSnapshotMissing(r.name, missing)
		}
		if len(matched) == 0 && !all && !ignore && len(exprs) > 0 {
			return 0, errSnapshotMissing(r.name, exprs[0])
		}
		opt.repo = r.name
		for _, s := range matched {
			infos = append(infos, s.info(opt))
		}
	}
	if !e.d.getSnapshotsTotals {
		return http.StatusOK, obj{{"snapshots", infos}}
	}
	return http.StatusOK, obj{{"snapshots", infos}, {"total", len(infos)}, {"remaining", 0}}
}

func (e *Emulator) deleteSnapshots(repoName, names string) (int, any) {
	e.mu.Lock()
	defer e.mu.Unlock()
	r, ok := e.repositories[repoName]
	if !ok {
		return 0, errRepositoryMissing(repoName)
	}
	matched, missing, _ := matchSnapshots(r, splitList(names))
	if missing != "" {
		return 0, errSnapshotMissing(repoName, missing)
	}
	for _, s := range matched {
		e.abortLocked(s)
		r.store.remove(s.name)
	}
	return http.StatusOK, obj{{"acknowledged", true}}
}

func shardStats(s *snapshot) obj {
	total := len(s.indices)
	done, failed, started := 0, 0, 0
	switch s.state {
	case stateInProgress:
		started = total
	default:
		done, failed = s.successful, s.total-s.successful
	}
	return obj{{"initializing", 0}, {"started", started}, {"finalizing", 0}, {"done", done}, {"failed", failed}, {"total", total}}
}

func (s *snapshot) status(repo string) obj {
	size := 0
	indices := obj{}
	for _, n := range s.indices {
		isize := 225 + 512*len(s.content[n].docs)
		size += isize
		stage := "DONE"
		if s.state == stateInProgress {
			stage = "STARTED"
		}
		stats := obj{{"incremental", obj{{"file_count", 1}, {"size_in_bytes", isize}}},
			{"total", obj{{"file_count", 1}, {"size_in_bytes", isize}}},
			{"start_time_in_millis", s.start.UnixMilli()}, {"time_in_millis", s.elapsed().Milliseconds()}}
		indices = indices.set(n, obj{{"shards_stats", shardStats(&snapshot{state: s.state, indices: []string{n}, total: 1, successful: boolInt(s.successful == s.total)})},
			{"stats", stats}, {"shards", obj{{"0", obj{{"stage", stage}, {"stats", stats}}}}}})
	}
	state := s.state
	if state == stateInProgress {
		state = "STARTED"
	}
	return obj{{"snapshot", s.name}, {"repository", repo}, {"uuid", s.uuid}, {"state", state},
		{"include_global_state", s.includeGlobal}, {"shards_stats", shardStats(s)},
		{"stats", obj{{"incremental", obj{{"file_count", len(s.indices)}, {"size_in_bytes", size}}},
			{"total", obj{{"file_count", len(s.indices)}, {"size_in_bytes", size}}},
			{"start_time_in_millis", s.start.UnixMilli()}, {"time_in_millis", s.elapsed().Milliseconds()}}},
		{"indices", indices}}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (s *snapshot) elapsed() time.Duration {
	if s.state == stateInProgress {
		return s.now().Sub(s.start)
	}
	return s.end.Sub(s.start)
}

// snapshotStatus is GET /_snapshot/{repo}/{names}/_status (exact names),
// or with no names the running snapshots of the repository (or of all
// repositories).
func (e *Emulator) snapshotStatus(repoName, names string, q queryParams) (int, any) {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []obj
	if names == "" {
		for _, rn := range sortedKeys(e.repositories) {
			if repoName != "" && rn != repoName {
				continue
			}
			for _, s := range e.repositories[rn].sorted() {
				if s.state == stateInProgress {
					out = append(out, s.status(rn))
				}
			}
		}
		if repoName != "" {
			if _, ok := e.repositories[repoName]; !ok {
				return 0, errRepositoryMissing(repoName)
			}
		}
		if out == nil {
			out = []obj{}
		}
		return http.StatusOK, obj{{"snapshots", out}}
	}
	r, ok := e.repositories[repoName]
	if !ok {
		return 0, errRepositoryMissing(repoName)
	}
	for _, n := range splitList(names) {
		s, ok := r.snapshots[n]
		if !ok {
			if q.bool("ignore_unavailable", false) {
				continue
			}
			return 0, errSnapshotMissing(repoName, n)
		}
		out = append(out, s.status(repoName))
	}
	if out == nil {
		out = []obj{}
	}
	return http.StatusOK, obj{{"snapshots", out}}
}

type restoreRequest struct {
	Indices           json.RawMessage `json:"indices"`
	IgnoreUnavailable bool            `json:"ignore_unavailable"`
	IncludeGlobal     bool            `json:"include_global_state"`
	IncludeAliases    *bool           `json:"include_aliases"`
	Partial           bool            `json:"partial"`
	RenamePattern     string          `json:"rename_pattern"`
	RenameReplacement string          `json:"rename_replacement"`
	IndexSettings     json.RawMessage `json:"index_settings"`
	IgnoreIndexSets   json.RawMessage `json:"ignore_index_settings"`
	FeatureStates     json.RawMessage `json:"feature_states"`
}

// javaReplacement turns a Java regex replacement ($1) into Go's (${1}).
var javaGroup = regexp.MustCompile(`\$(\d+)`)

func (e *Emulator) restoreSnapshot(repoName, name string, q queryParams, body []byte) (int, any) {
	var req restoreRequest
	if len(body) > 0 {
		dec := json.NewDecoder(strings.NewReader(string(body)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&req); err != nil {
			return 0, errIllegalArgument("failed to parse restore request: " + err.Error())
		}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	r, ok := e.repositories[repoName]
	if !ok {
		return 0, errRepositoryMissing(repoName)
	}
	s, ok := r.snapshots[name]
	if !ok || s.state == stateInProgress {
		return 0, errRestore(repoName, name, "snapshot does not exist")
	}
	// Past this point Elasticsearch names the snapshot with its uuid.
	snapshotID := name + "/" + s.uuid
	if s.state == stateFailed || s.state == stateIncompatible {
		return 0, errRestore(repoName, snapshotID, "unsupported snapshot state ["+s.state+"]")
	}
	// Which of the snapshot's indices to restore.
	var exprs []string
	if len(req.Indices) > 0 && string(req.Indices) != "null" {
		list, err := stringList(req.Indices)
		if err != nil {
			return 0, errIllegalArgument("malformed indices section, should be an array of strings")
		}
		exprs = list
	}
	selected := map[string]bool{}
	if len(exprs) == 0 {
		for _, n := range s.indices {
			selected[n] = true
		}
	}
	for i, x := range exprs {
		exclude := false
		if i > 0 && strings.HasPrefix(x, "-") {
			exclude, x = true, x[1:]
		}
		found := false
		for _, n := range s.indices {
			if x == "_all" || glob(x, n) {
				selected[n] = !exclude
				found = true
			}
		}
		if !found && !isPattern(x) && !exclude && !req.IgnoreUnavailable {
			return 0, errIndexNotFound(x)
		}
	}
	var rename *regexp.Regexp
	if req.RenamePattern != "" {
		re, err := regexp.Compile(req.RenamePattern)
		if err != nil {
			return 0, errIllegalArgument("invalid rename_pattern [" + req.RenamePattern + "]")
		}
		rename = re
	}
	includeAliases := req.IncludeAliases == nil || *req.IncludeAliases
	failedIndex := map[string]bool{}
	for _, f := range s.failures {
		for _, p := range f {
			if p.k == "index" {
				failedIndex[p.v.(string)] = true
			}
		}
	}
	type target struct{ from, to, uuid string }
	var targets []target
	for _, n := range sortedKeys(selected) {
		if !selected[n] {
			continue
		}
		if failedIndex[n] && !req.Partial {
			return 0, errRestore(repoName, snapshotID, "index ["+n+"] wasn't fully snapshotted - cannot restore")
		}
		to := n
		if rename != nil {
			to = rename.ReplaceAllString(n, javaGroup.ReplaceAllString(req.RenameReplacement, "$${$1}"))
		}
		if existing, exists := e.indices[to]; exists && !existing.closed {
			return 0, errRestore(repoName, snapshotID, "cannot restore index ["+to+"] because an open index with same name already exists in the cluster. Either close or delete the existing index or restore the index under a different name by providing a rename pattern and replacement name")
		}
		if err := validateIndexName(to); err != nil {
			return 0, err
		}
		targets = append(targets, target{n, to, randomID()})
	}
	// An alias of a restored index may not be the name of an index being
	// restored (RestoreService.ensureNoAliasNameConflicts)...
	restoring := map[string]string{}
	for _, t := range targets {
		restoring[t.to] = t.from
	}
	if includeAliases {
		for _, t := range targets {
			for _, a := range sortedKeys(s.content[t.from].aliases) {
				if from, clash := restoring[a]; clash {
					return 0, errRestore(repoName, snapshotID, "cannot rename index [["+from+"/"+s.content[from].uuid+"]] into ["+a+"] because of conflict with an alias with the same name")
				}
			}
		}
		// ...nor the name of an index that stays (Metadata.Builder#build).
		var duplicates []string
		for _, t := range targets {
			for _, a := range sortedKeys(s.content[t.from].aliases) {
				if _, clash := e.indices[a]; clash && restoring[a] == "" {
					duplicates = append(duplicates, a+" (alias of ["+t.to+"/"+t.uuid+"])")
				}
			}
		}
		if len(duplicates) > 0 {
			return 0, newError(http.StatusInternalServerError, "illegal_state_exception",
				"index and alias names need to be unique, but the following duplicates were found ["+strings.Join(duplicates, ", ")+"]")
		}
	}
	for _, t := range targets {
		ix := s.content[t.from].clone()
		ix.name, ix.uuid, ix.created = t.to, t.uuid, e.Now()
		if !includeAliases {
			ix.aliases = map[string]bool{}
		}
		e.indices[t.to] = ix
	}
	if !q.bool("wait_for_completion", false) {
		return http.StatusOK, obj{{"accepted", true}}
	}
	restored := make([]string, 0, len(targets))
	for _, t := range targets {
		restored = append(restored, t.to)
	}
	return http.StatusOK, obj{{"snapshot", obj{{"snapshot", name}, {"indices", restored},
		{"shards", obj{{"total", len(targets)}, {"failed", 0}, {"successful", len(targets)}}}}}}
}

// The repository HTTP API.

func (e *Emulator) putRepository(name string, body []byte) (int, any) {
	var req struct {
		Type     string         `json:"type"`
		Settings map[string]any `json:"settings"`
	}
	if len(body) == 0 {
		return 0, errParse("request body is required")
	}
	if err := json.Unmarshal(body, &req); err != nil {
		return 0, errParse("Failed to parse content to map")
	}
	if req.Type == "" {
		return 0, errValidation("type is missing")
	}
	switch req.Type {
	case "fs":
		if _, ok := req.Settings["location"]; !ok {
			return 0, newError(http.StatusInternalServerError, "repository_exception",
				"["+name+"] missing location")
		}
	case "url", "source", "s3", "gcs", "azure", "hdfs":
	default:
		return 0, newError(http.StatusInternalServerError, "repository_exception",
			"["+name+"] repository type ["+req.Type+"] does not exist")
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.putRepositoryLocked(name, req.Type, req.Settings)
	return http.StatusOK, obj{{"acknowledged", true}}
}

func (e *Emulator) getRepositories(names string) (int, any) {
	e.mu.Lock()
	defer e.mu.Unlock()
	exprs := splitList(names)
	if len(exprs) == 0 {
		exprs = []string{"_all"}
	}
	out := obj{}
	seen := map[string]bool{}
	for _, x := range exprs {
		matched := false
		for _, n := range sortedKeys(e.repositories) {
			if x == "_all" || glob(x, n) {
				matched = true
				if !seen[n] {
					seen[n] = true
					r := e.repositories[n]
					repo := obj{{"type", r.typ}}
					if e.d.repositoryUUID {
						repo = repo.set("uuid", r.uuid)
					}
					out = out.set(n, repo.set("settings", stringSettings(r.settings)))
				}
			}
		}
		if !matched && !isPattern(x) && x != "_all" {
			return 0, errRepositoryMissing(x)
		}
	}
	return http.StatusOK, out
}

// stringSettings renders settings as Elasticsearch does: every value a string.
func stringSettings(m map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		switch v := v.(type) {
		case string:
			out[k] = v
		case map[string]any:
			out[k] = stringSettings(v)
		default:
			out[k] = fmt.Sprint(v)
		}
	}
	return out
}

func (e *Emulator) deleteRepository(name string) (int, any) {
	e.mu.Lock()
	defer e.mu.Unlock()
	var names []string
	for _, n := range sortedKeys(e.repositories) {
		if name == "_all" || glob(name, n) {
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		return 0, errRepositoryMissing(name)
	}
	for _, n := range names {
		for _, s := range e.repositories[n].snapshots {
			if s.state == stateInProgress {
				return 0, newError(http.StatusBadRequest, "repository_conflict_exception",
					"["+n+"] trying to modify or unregister repository that is currently used")
			}
		}
	}
	for _, n := range names {
		delete(e.repositories, n)
	}
	return http.StatusOK, obj{{"acknowledged", true}}
}

func (e *Emulator) verifyRepository(name string) (int, any) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, ok := e.repositories[name]; !ok {
		return 0, errRepositoryMissing(name)
	}
	return http.StatusOK, obj{{"nodes", obj{{e.nodeID, obj{{"name", nodeName}}}}}}
}
