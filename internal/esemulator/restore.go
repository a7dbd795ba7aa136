// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package esemulator

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
)

// The restore snapshot API.

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

// javaGroup finds the group references of a Java regex replacement ($1),
// which Go writes ${1}.
var javaGroup = regexp.MustCompile(`\$(\d+)`)

func (e *Emulator) restoreSnapshot(repoName, name string, q queryParams, body []byte) (answer, *esError) {
	var req restoreRequest
	if len(body) > 0 {
		dec := json.NewDecoder(strings.NewReader(string(body)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&req); err != nil {
			return answer{}, errIllegalArgument("failed to parse restore request: " + err.Error())
		}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	r, ok := e.repositories[repoName]
	if !ok {
		return answer{}, errRepositoryMissing(repoName)
	}
	s, ok := r.snapshots[name]
	if !ok || s.state == stateInProgress {
		return answer{}, errRestore(repoName, name, "snapshot does not exist")
	}
	// Past this point Elasticsearch names the snapshot with its uuid.
	snapshotID := name + "/" + s.uuid
	if s.state == stateFailed || s.state == stateIncompatible {
		return answer{}, errRestore(repoName, snapshotID, "unsupported snapshot state ["+s.state+"]")
	}
	selected, err := restoreSelection(s, &req)
	if err != nil {
		return answer{}, err
	}
	targets, err := e.restoreTargetsLocked(s, &req, selected, repoName, snapshotID)
	if err != nil {
		return answer{}, err
	}
	includeAliases := req.IncludeAliases == nil || *req.IncludeAliases
	if includeAliases {
		if err := e.checkRestoredAliasesLocked(s, targets, repoName, snapshotID); err != nil {
			return answer{}, err
		}
		// The restored aliases join the cluster's: an alias may have one
		// write index only (Metadata.Builder#validateAlias).
		next := map[string]map[string]aliasMeta{}
		for name, ix := range e.indices {
			next[name] = ix.aliases
		}
		for _, t := range targets {
			next[t.to] = s.content[t.from].aliases
		}
		if err := checkWriteIndices(next); err != nil {
			return answer{}, err
		}
	}
	failed := 0
	for _, t := range targets {
		ix := s.content[t.from].clone()
		ix.name, ix.uuid, ix.created = t.to, t.uuid, e.Now()
		if !includeAliases {
			ix.aliases = map[string]aliasMeta{}
		}
		if e.restoreFaults[t.from] {
			// The shard's restore failed: the index exists, red, with its
			// primary unassigned (RestoreService marks the shard FAILURE;
			// RestoreInfo counts it in failed).
			delete(e.restoreFaults, t.from)
			ix.red, ix.docs = true, map[string]*document{}
			failed++
		}
		e.indices[t.to] = ix
	}
	if !q.bool("wait_for_completion", false) {
		return answerOK(obj{{"accepted", true}}), nil
	}
	restored := make([]string, 0, len(targets))
	for _, t := range targets {
		restored = append(restored, t.to)
	}
	return answerOK(obj{{"snapshot", obj{{"snapshot", name}, {"indices", restored},
		{"shards", obj{{"total", len(targets)}, {"failed", failed}, {"successful", len(targets) - failed}}}}}}), nil
}

// restoreSelection is which of the snapshot's indices a restore request
// names: all of them without indices, else its names, patterns, _all and
// -exclusions, left to right.
func restoreSelection(s *snapshot, req *restoreRequest) (map[string]bool, *esError) {
	var exprs []string
	if len(req.Indices) > 0 && string(req.Indices) != "null" {
		list, err := stringList(req.Indices)
		if err != nil {
			return nil, errIllegalArgument("malformed indices section, should be an array of strings")
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
			return nil, errIndexNotFound(x)
		}
	}
	return selected, nil
}

// restoreTarget is an index of the snapshot (from) restored as to, with a
// new uuid.
type restoreTarget struct{ from, to, uuid string }

// restoreTargetsLocked names the restored indices, in the order of the
// snapshot's: renamed by rename_pattern, each refused if it was not fully
// snapshotted (unless partial), if an open index has its name, or if the
// name is not an index name. Callers hold e.mu.
func (e *Emulator) restoreTargetsLocked(s *snapshot, req *restoreRequest, selected map[string]bool, repoName, snapshotID string) ([]restoreTarget, *esError) {
	var rename *regexp.Regexp
	if req.RenamePattern != "" {
		re, err := regexp.Compile(req.RenamePattern)
		if err != nil {
			return nil, errIllegalArgument("invalid rename_pattern [" + req.RenamePattern + "]")
		}
		rename = re
	}
	failedIndex := map[string]bool{}
	for _, f := range s.failures {
		for _, p := range f {
			if p.k == "index" {
				failedIndex[p.v.(string)] = true
			}
		}
	}
	var targets []restoreTarget
	for _, n := range sortedKeys(selected) {
		if !selected[n] {
			continue
		}
		if failedIndex[n] && !req.Partial {
			return nil, errRestore(repoName, snapshotID, "index ["+n+"] wasn't fully snapshotted - cannot restore")
		}
		to := n
		if rename != nil {
			to = rename.ReplaceAllString(n, javaGroup.ReplaceAllString(req.RenameReplacement, "$${$1}"))
		}
		if existing, exists := e.indices[to]; exists && !existing.closed {
			return nil, errRestore(repoName, snapshotID, "cannot restore index ["+to+"] because an open index with same name already exists in the cluster. Either close or delete the existing index or restore the index under a different name by providing a rename pattern and replacement name")
		}
		if err := validateIndexName(to); err != nil {
			return nil, err
		}
		targets = append(targets, restoreTarget{n, to, randomID()})
	}
	return targets, nil
}

// checkRestoredAliasesLocked refuses a restore whose indices bring an
// alias that is the name of an index being restored
// (RestoreService.ensureNoAliasNameConflicts) or of an index that stays
// (Metadata.Builder#build). Callers hold e.mu.
func (e *Emulator) checkRestoredAliasesLocked(s *snapshot, targets []restoreTarget, repoName, snapshotID string) *esError {
	restoring := map[string]string{}
	for _, t := range targets {
		restoring[t.to] = t.from
	}
	for _, t := range targets {
		for _, a := range sortedKeys(s.content[t.from].aliases) {
			if from, clash := restoring[a]; clash {
				return errRestore(repoName, snapshotID, "cannot rename index [["+from+"/"+s.content[from].uuid+"]] into ["+a+"] because of conflict with an alias with the same name")
			}
		}
	}
	var duplicates []string
	for _, t := range targets {
		for _, a := range sortedKeys(s.content[t.from].aliases) {
			if _, clash := e.indices[a]; clash && restoring[a] == "" {
				duplicates = append(duplicates, a+" (alias of ["+t.to+"/"+t.uuid+"])")
			}
		}
	}
	if len(duplicates) > 0 {
		return newError(http.StatusInternalServerError, "illegal_state_exception",
			"index and alias names need to be unique, but the following duplicates were found ["+strings.Join(duplicates, ", ")+"]")
	}
	return nil
}
