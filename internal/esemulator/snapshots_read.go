// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package esemulator

import (
	"fmt"
	"strings"
	"time"
)

// Reading snapshots: the get snapshots and snapshot status APIs, and the
// JSON they write of a snapshot.

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
func (e *Emulator) getSnapshots(repoNames, names string, q queryParams) (answer, *esError) {
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
			return answer{}, errRepositoryMissing(x)
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
			return answer{}, errSnapshotMissing(r.name, missing)
		}
		if len(matched) == 0 && !all && !ignore && len(exprs) > 0 {
			return answer{}, errSnapshotMissing(r.name, exprs[0])
		}
		opt.repo = r.name
		for _, s := range matched {
			infos = append(infos, s.info(opt))
		}
	}
	if !e.d.getSnapshotsTotals {
		return answerOK(obj{{"snapshots", infos}}), nil
	}
	return answerOK(obj{{"snapshots", infos}, {"total", len(infos)}, {"remaining", 0}}), nil
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
func (e *Emulator) snapshotStatus(repoName, names string, q queryParams) (answer, *esError) {
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
				return answer{}, errRepositoryMissing(repoName)
			}
		}
		if out == nil {
			out = []obj{}
		}
		return answerOK(obj{{"snapshots", out}}), nil
	}
	r, ok := e.repositories[repoName]
	if !ok {
		return answer{}, errRepositoryMissing(repoName)
	}
	for _, n := range splitList(names) {
		s, ok := r.snapshots[n]
		if !ok {
			if q.bool("ignore_unavailable", false) {
				continue
			}
			return answer{}, errSnapshotMissing(repoName, n)
		}
		out = append(out, s.status(repoName))
	}
	if out == nil {
		out = []obj{}
	}
	return answerOK(obj{{"snapshots", out}}), nil
}
