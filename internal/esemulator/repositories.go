// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package esemulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
)

// Snapshot repositories: registration (the HTTP API and the Go one), and
// the storage behind them, which outlives a repository's registration.

type repository struct {
	name      string
	typ       string
	uuid      string
	settings  map[string]any
	snapshots map[string]*snapshot // store.snapshots, for reading
	store     *store
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

// The repository HTTP API.

func (e *Emulator) putRepository(name string, body []byte) (answer, *esError) {
	var req struct {
		Type     string         `json:"type"`
		Settings map[string]any `json:"settings"`
	}
	if len(body) == 0 {
		return answer{}, errParse("request body is required")
	}
	if err := json.Unmarshal(body, &req); err != nil {
		return answer{}, errParse("Failed to parse content to map")
	}
	if req.Type == "" {
		return answer{}, errValidation("type is missing")
	}
	switch req.Type {
	case "fs":
		if _, ok := req.Settings["location"]; !ok {
			return answer{}, newError(http.StatusInternalServerError, "repository_exception",
				"["+name+"] missing location")
		}
	case "url", "source", "s3", "gcs", "azure", "hdfs":
	default:
		return answer{}, newError(http.StatusInternalServerError, "repository_exception",
			"["+name+"] repository type ["+req.Type+"] does not exist")
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.putRepositoryLocked(name, req.Type, req.Settings)
	return answerOK(obj{{"acknowledged", true}}), nil
}

func (e *Emulator) getRepositories(names string) (answer, *esError) {
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
			return answer{}, errRepositoryMissing(x)
		}
	}
	return answerOK(out), nil
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

func (e *Emulator) deleteRepository(name string) (answer, *esError) {
	e.mu.Lock()
	defer e.mu.Unlock()
	var names []string
	for _, n := range sortedKeys(e.repositories) {
		if name == "_all" || glob(name, n) {
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		return answer{}, errRepositoryMissing(name)
	}
	for _, n := range names {
		for _, s := range e.repositories[n].snapshots {
			if s.state == stateInProgress {
				return answer{}, newError(http.StatusBadRequest, "repository_conflict_exception",
					"["+n+"] trying to modify or unregister repository that is currently used")
			}
		}
	}
	for _, n := range names {
		delete(e.repositories, n)
	}
	return answerOK(obj{{"acknowledged", true}}), nil
}

func (e *Emulator) verifyRepository(name string) (answer, *esError) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, ok := e.repositories[name]; !ok {
		return answer{}, errRepositoryMissing(name)
	}
	return answerOK(obj{{"nodes", obj{{e.nodeID, obj{{"name", nodeName}}}}}}), nil
}
