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

// javaReplacement turns a Java regex replacement ($1) into Go's (${1}).
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
	// Which of the snapshot's indices to restore.
	var exprs []string
	if len(req.Indices) > 0 && string(req.Indices) != "null" {
		list, err := stringList(req.Indices)
		if err != nil {
			return answer{}, errIllegalArgument("malformed indices section, should be an array of strings")
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
			return answer{}, errIndexNotFound(x)
		}
	}
	var rename *regexp.Regexp
	if req.RenamePattern != "" {
		re, err := regexp.Compile(req.RenamePattern)
		if err != nil {
			return answer{}, errIllegalArgument("invalid rename_pattern [" + req.RenamePattern + "]")
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
			return answer{}, errRestore(repoName, snapshotID, "index ["+n+"] wasn't fully snapshotted - cannot restore")
		}
		to := n
		if rename != nil {
			to = rename.ReplaceAllString(n, javaGroup.ReplaceAllString(req.RenameReplacement, "$${$1}"))
		}
		if existing, exists := e.indices[to]; exists && !existing.closed {
			return answer{}, errRestore(repoName, snapshotID, "cannot restore index ["+to+"] because an open index with same name already exists in the cluster. Either close or delete the existing index or restore the index under a different name by providing a rename pattern and replacement name")
		}
		if err := validateIndexName(to); err != nil {
			return answer{}, err
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
					return answer{}, errRestore(repoName, snapshotID, "cannot rename index [["+from+"/"+s.content[from].uuid+"]] into ["+a+"] because of conflict with an alias with the same name")
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
			return answer{}, newError(http.StatusInternalServerError, "illegal_state_exception",
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
		return answerOK(obj{{"accepted", true}}), nil
	}
	restored := make([]string, 0, len(targets))
	for _, t := range targets {
		restored = append(restored, t.to)
	}
	return answerOK(obj{{"snapshot", obj{{"snapshot", name}, {"indices", restored},
		{"shards", obj{{"total", len(targets)}, {"failed", 0}, {"successful", len(targets)}}}}}}), nil
}
