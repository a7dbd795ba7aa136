// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package esemulator

import (
	"encoding/json"
	"maps"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// index is one index: one primary shard, no replica, its aliases and its
// documents.
type index struct {
	name    string
	uuid    string
	created time.Time
	aliases map[string]aliasMeta
	docs    map[string]*document
	seqNo   int64
	closed  bool
	// red: its primary shard is not allocated (a restore of it failed):
	// health red, no documents to count.
	red bool
}

// aliasMeta is what an alias of an index carries beyond its name:
// is_write_index when it was given (AliasMetadata.writeIndex(), a Boolean
// that is null unless set).
type aliasMeta struct{ writeIndex *bool }

// aliasProps is an alias's properties as GET _alias and GET {index} show
// them (AliasMetadata.toXContent: is_write_index only when set).
func (m aliasMeta) aliasProps() obj {
	if m.writeIndex == nil {
		return obj{}
	}
	return obj{{"is_write_index", *m.writeIndex}}
}

type document struct {
	source  map[string]any
	version int64
	seqNo   int64
}

func (ix *index) clone() *index {
	c := &index{name: ix.name, uuid: ix.uuid, created: ix.created, aliases: maps.Clone(ix.aliases), docs: map[string]*document{}, seqNo: ix.seqNo}
	for id, d := range ix.docs {
		c.docs[id] = &document{source: deepCopy(d.source), version: d.version, seqNo: d.seqNo}
	}
	return c
}

func deepCopy(m map[string]any) map[string]any {
	b, _ := json.Marshal(m)
	var out map[string]any
	_ = json.Unmarshal(b, &out)
	return out
}

// validateIndexName applies Elasticsearch's index name rules
// (MetadataCreateIndexService.validateIndexOrAliasName).
func validateIndexName(name string) *esError {
	invalid := func(desc string) *esError {
		return newError(http.StatusBadRequest, "invalid_index_name_exception", "Invalid index name ["+name+"], "+desc,
			kv{"index_uuid", "_na_"}, kv{"index", name})
	}
	switch {
	case !validFileName(name):
		return invalid("must not contain the following characters " + invalidFilenameChars)
	case strings.Contains(name, "#"):
		return invalid("must not contain '#'")
	case strings.Contains(name, ":"):
		return invalid("must not contain ':'")
	case strings.HasPrefix(name, "_") || strings.HasPrefix(name, "-") || strings.HasPrefix(name, "+"):
		return invalid("must not start with '_', '-', or '+'")
	case strings.ToLower(name) != name:
		return invalid("must be lowercase")
	case name == "." || name == "..":
		return invalid("must not be '.' or '..'")
	case len(name) > 255:
		return invalid("index name is too long, (" + strconv.Itoa(len(name)) + " > 255)")
	}
	return nil
}

// invalidFilenameChars is Strings.INVALID_FILENAME_CHARS as Elasticsearch
// 7.17 prints it (a Java HashSet's iteration order).
const invalidFilenameChars = `[ , ", *, \, <, |, ,, >, /, ?]`

func validFileName(s string) bool { return !strings.ContainsAny(s, "\\/*?\"<>| ,") }

// createIndexLocked creates an index. Callers hold e.mu.
func (e *Emulator) createIndexLocked(name string, aliases []string) (*index, *esError) {
	if err := validateIndexName(name); err != nil {
		return nil, err
	}
	if ix, ok := e.indices[name]; ok {
		return nil, newError(http.StatusBadRequest, "resource_already_exists_exception",
			"index ["+name+"/"+ix.uuid+"] already exists", kv{"index_uuid", ix.uuid}, kv{"index", name})
	}
	if e.isAliasLocked(name) {
		return nil, newError(http.StatusBadRequest, "invalid_index_name_exception",
			"Invalid index name ["+name+"], already exists as alias", kv{"index_uuid", "_na_"}, kv{"index", name})
	}
	ix := &index{name: name, uuid: randomID(), created: e.Now(), aliases: map[string]aliasMeta{}, docs: map[string]*document{}}
	for _, a := range aliases {
		if _, clash := e.indices[a]; clash || a == name {
			return nil, newError(http.StatusBadRequest, "invalid_alias_name_exception",
				"Invalid alias name ["+a+"], an index or data stream exists with the same name as the alias",
				kv{"index_uuid", "_na_"}, kv{"index", a})
		}
		ix.aliases[a] = aliasMeta{}
	}
	e.indices[name] = ix
	return ix, nil
}

func (e *Emulator) isAliasLocked(name string) bool {
	for _, ix := range e.indices {
		if _, ok := ix.aliases[name]; ok {
			return true
		}
	}
	return false
}

// aliasIndicesLocked returns the indices behind an alias, sorted.
func (e *Emulator) aliasIndicesLocked(alias string) []string {
	var out []string
	for n, ix := range e.indices {
		if _, ok := ix.aliases[alias]; ok {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// resolveLocked resolves index expressions as Elasticsearch does for the
// snapshot, cat and delete APIs: names, aliases, * wildcards, _all, and
// -exclusions of what the expressions before them matched. Hidden indices
// (a leading dot) only match a wildcard that starts with a dot.
func (e *Emulator) resolveLocked(exprs []string, ignoreUnavailable, aliases bool) ([]string, *esError) {
	set := map[string]bool{}
	for i, expr := range exprs {
		expr = strings.TrimSpace(expr)
		if expr == "" {
			continue
		}
		exclude := false
		if i > 0 && strings.HasPrefix(expr, "-") {
			exclude, expr = true, expr[1:]
		}
		var matched []string
		switch {
		case expr == "_all" || expr == "*":
			for n := range e.indices {
				if !strings.HasPrefix(n, ".") {
					matched = append(matched, n)
				}
			}
		case isPattern(expr):
			for n, ix := range e.indices {
				if strings.HasPrefix(n, ".") && !strings.HasPrefix(expr, ".") {
					continue
				}
				if glob(expr, n) {
					matched = append(matched, n)
					continue
				}
				if aliases {
					for a := range ix.aliases {
						if glob(expr, a) {
							matched = append(matched, n)
							break
						}
					}
				}
			}
		default:
			if _, ok := e.indices[expr]; ok {
				matched = []string{expr}
			} else if aliases && e.isAliasLocked(expr) {
				matched = e.aliasIndicesLocked(expr)
			} else if !exclude && !ignoreUnavailable {
				return nil, errIndexNotFound(expr)
			}
		}
		for _, n := range matched {
			if exclude {
				delete(set, n)
			} else {
				set[n] = true
			}
		}
	}
	return sortedKeys(set), nil
}

// splitList splits a comma-separated path part or parameter.
func splitList(s string) []string {
	if s == "" {
		return nil
	}
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// CreateIndex creates an index with these aliases.
func (e *Emulator) CreateIndex(name string, aliases ...string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, err := e.createIndexLocked(name, aliases); err != nil {
		return err
	}
	return nil
}

// PutDocument stores a document in an index or in the single index behind
// an alias; a missing index is created, as Elasticsearch does.
func (e *Emulator) PutDocument(idx, id string, doc map[string]any) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	_, _, err := e.putDocumentLocked(idx, id, doc)
	if err != nil {
		return err
	}
	return nil
}

func (e *Emulator) putDocumentLocked(name, id string, doc map[string]any) (*index, *document, *esError) {
	ix, err := e.writeIndexLocked(name)
	if err != nil {
		return nil, nil, err
	}
	d, ok := ix.docs[id]
	if !ok {
		d = &document{}
		ix.docs[id] = d
	}
	d.source = deepCopy(doc)
	d.version++
	d.seqNo = ix.seqNo
	ix.seqNo++
	return ix, d, nil
}

func (e *Emulator) writeIndexLocked(name string) (*index, *esError) {
	if ix, ok := e.indices[name]; ok {
		return ix, nil
	}
	if targets := e.aliasIndicesLocked(name); len(targets) > 0 {
		// IndexAbstraction.Alias#getWriteIndex: the index flagged
		// is_write_index, else the only index unless it is flagged false.
		for _, t := range targets {
			if w := e.indices[t].aliases[name].writeIndex; w != nil && *w {
				return e.indices[t], nil
			}
		}
		if w := e.indices[targets[0]].aliases[name].writeIndex; len(targets) > 1 || (w != nil && !*w) {
			return nil, errIllegalArgument("no write index is defined for alias [" + name + "]. The write index may be explicitly disabled using is_write_index=false or the alias points to multiple indices without one being designated as a write index")
		}
		return e.indices[targets[0]], nil
	}
	return e.createIndexLocked(name, nil)
}

// WriteIndexFlags returns the aliases of an index with their is_write_index:
// "true", "false", or "-" when it was not given.
func (e *Emulator) WriteIndexFlags(name string) map[string]string {
	e.mu.Lock()
	defer e.mu.Unlock()
	ix, ok := e.indices[name]
	if !ok {
		return nil
	}
	out := map[string]string{}
	for a, meta := range ix.aliases {
		out[a] = "-"
		if meta.writeIndex != nil {
			out[a] = strconv.FormatBool(*meta.writeIndex)
		}
	}
	return out
}

// Documents returns the documents of an index: id -> its source as JSON.
func (e *Emulator) Documents(name string) map[string]string {
	e.mu.Lock()
	defer e.mu.Unlock()
	ix, ok := e.indices[name]
	if !ok {
		return nil
	}
	out := map[string]string{}
	for id, d := range ix.docs {
		b, _ := json.Marshal(d.source)
		out[id] = string(b)
	}
	return out
}

// Indices returns the names of all indices, sorted.
func (e *Emulator) Indices() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return sortedKeys(e.indices)
}

// Aliases returns the aliases of an index, sorted.
func (e *Emulator) Aliases(name string) []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	ix, ok := e.indices[name]
	if !ok {
		return nil
	}
	return sortedKeys(ix.aliases)
}

// The index HTTP API.

func (e *Emulator) putIndex(name string, body []byte) (answer, *esError) {
	var req struct {
		Aliases  map[string]json.RawMessage `json:"aliases"`
		Settings json.RawMessage            `json:"settings"`
		Mappings json.RawMessage            `json:"mappings"`
	}
	if len(body) > 0 {
		if err := json.Unmarshal(body, &req); err != nil {
			return answer{}, errParse("Failed to parse content to map: " + err.Error())
		}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	_, err := e.createIndexLocked(name, sortedKeys(req.Aliases))
	if err != nil {
		return answer{}, err
	}
	return answerOK(obj{{"acknowledged", true}, {"shards_acknowledged", true}, {"index", name}}), nil
}

func (e *Emulator) deleteIndex(expr string, q queryParams) (answer, *esError) {
	e.mu.Lock()
	defer e.mu.Unlock()
	exprs := splitList(expr)
	for _, x := range exprs {
		if !isPattern(x) && !strings.HasPrefix(x, "-") && x != "_all" {
			if _, ok := e.indices[x]; !ok && e.isAliasLocked(x) {
				return answer{}, errIllegalArgument("The provided expression [" + x + "] matches an alias, specify the corresponding concrete indices instead.")
			}
		}
	}
	names, err := e.resolveLocked(exprs, q.bool("ignore_unavailable", false), false)
	if err != nil {
		return answer{}, err
	}
	var busy []string
	for _, n := range names {
		if e.snapshottingLocked(n) {
			busy = append(busy, "["+n+"/"+e.indices[n].uuid+"]")
		}
	}
	if len(busy) > 0 {
		return answer{}, newError(http.StatusBadRequest, "snapshot_in_progress_exception",
			"Cannot delete indices that are being snapshotted: ["+strings.Join(busy, ", ")+"]. Try again after snapshot finishes or cancel the currently running snapshot.")
	}
	for _, n := range names {
		delete(e.indices, n)
	}
	return answerOK(obj{{"acknowledged", true}}), nil
}

func (e *Emulator) getIndex(expr string, q queryParams) (answer, *esError) {
	e.mu.Lock()
	defer e.mu.Unlock()
	names, err := e.resolveLocked(splitList(expr), q.bool("ignore_unavailable", false), true)
	if err != nil {
		return answer{}, err
	}
	out := obj{}
	for _, n := range names {
		ix := e.indices[n]
		aliases := obj{}
		for _, a := range sortedKeys(ix.aliases) {
			aliases = aliases.set(a, ix.aliases[a].aliasProps())
		}
		settings := obj{}
		if e.d.tierPreference {
			settings = settings.set("routing", obj{{"allocation", obj{{"include", obj{{"_tier_preference", "data_content"}}}}}})
		}
		out = out.set(n, obj{
			{"aliases", aliases},
			{"mappings", obj{}},
			{"settings", obj{{"index", append(settings, obj{
				{"number_of_shards", "1"},
				{"provided_name", n},
				{"creation_date", strconv.FormatInt(ix.created.UnixMilli(), 10)},
				{"number_of_replicas", "0"},
				{"uuid", ix.uuid},
				{"version", obj{{"created", strconv.Itoa(e.d.versionID)}}},
			}...)}}},
		})
	}
	return answerOK(out), nil
}

func (e *Emulator) headIndex(expr string) (answer, *esError) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, err := e.resolveLocked(splitList(expr), false, true); err != nil {
		return answer{http.StatusNotFound, obj{}}, nil
	}
	return answerOK(obj{}), nil
}

func (e *Emulator) getAliases(name string) (answer, *esError) {
	e.mu.Lock()
	defer e.mu.Unlock()
	patterns := splitList(name)
	out := obj{}
	found := map[string]bool{}
	for _, n := range sortedKeys(e.indices) {
		ix := e.indices[n]
		aliases := obj{}
		for _, a := range sortedKeys(ix.aliases) {
			for _, p := range patterns {
				if p == "_all" || glob(p, a) {
					aliases = aliases.set(a, ix.aliases[a].aliasProps())
					found[p] = true
					break
				}
			}
			if len(patterns) == 0 {
				aliases = aliases.set(a, ix.aliases[a].aliasProps())
			}
		}
		if len(aliases) > 0 || (len(patterns) == 0 && !strings.HasPrefix(n, ".")) {
			out = out.set(n, obj{{"aliases", aliases}})
		}
	}
	var missing []string
	for _, p := range patterns {
		if !isPattern(p) && p != "_all" && !found[p] {
			missing = append(missing, p)
		}
	}
	if len(missing) > 0 {
		msg := "alias [" + strings.Join(missing, ",") + "] missing"
		if len(missing) > 1 {
			msg = "aliases [" + strings.Join(missing, ",") + "] missing"
		}
		out = append(obj{{"error", msg}, {"status", 404}}, out...)
		return answer{http.StatusNotFound, out}, nil
	}
	return answerOK(out), nil
}

func (e *Emulator) putDocument(name, id string, body []byte, compat string) (answer, *esError) {
	var doc map[string]any
	if err := json.Unmarshal(body, &doc); err != nil || doc == nil {
		return answer{}, newError(http.StatusBadRequest, "mapper_parsing_exception", "failed to parse")
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	ix, d, err := e.putDocumentLocked(name, id, doc)
	if err != nil {
		return answer{}, err
	}
	status, result := http.StatusOK, "updated"
	if d.version == 1 {
		status, result = http.StatusCreated, "created"
	}
	return answer{status, e.docHeader(ix.name, id, compat).set("_version", d.version).set("result", result).
		set("_shards", obj{{"total", 1}, {"successful", 1}, {"failed", 0}}).set("_seq_no", d.seqNo).set("_primary_term", 1)}, nil
}

// docHeader is _index, _type where the engine writes it, and _id.
func (e *Emulator) docHeader(index, id, compat string) obj {
	o := obj{{"_index", index}}
	if e.d.withDocType(compat) {
		o = o.set("_type", "_doc")
	}
	return o.set("_id", id)
}

func (e *Emulator) getDocument(name, id, compat string) (answer, *esError) {
	e.mu.Lock()
	defer e.mu.Unlock()
	ix, ok := e.indices[name]
	if !ok {
		targets := e.aliasIndicesLocked(name)
		switch len(targets) {
		case 0:
			return answer{}, errIndexNotFound(name)
		case 1:
			ix = e.indices[targets[0]]
		default:
			return answer{}, errIllegalArgument("alias [" + name + "] has more than one index associated with it [" + strings.Join(targets, ", ") + "], can't execute a single index op")
		}
	}
	if ix.closed {
		return answer{}, newError(http.StatusBadRequest, "index_closed_exception", "closed", kv{"index_uuid", ix.uuid}, kv{"index", ix.name})
	}
	d, ok := ix.docs[id]
	if !ok {
		return answer{http.StatusNotFound, e.docHeader(ix.name, id, compat).set("found", false)}, nil
	}
	return answerOK(e.docHeader(ix.name, id, compat).set("_version", d.version).
		set("_seq_no", d.seqNo).set("_primary_term", 1).set("found", true).set("_source", d.source)), nil
}

// openClose is POST /{index}/_close and /_open.
func (e *Emulator) openClose(expr string, closing bool, q queryParams) (answer, *esError) {
	e.mu.Lock()
	defer e.mu.Unlock()
	names, err := e.resolveLocked(splitList(expr), q.bool("ignore_unavailable", false), true)
	if err != nil {
		return answer{}, err
	}
	if closing {
		res := obj{}
		for _, n := range names {
			e.indices[n].closed = true
			res = res.set(n, obj{{"closed", true}})
		}
		return answerOK(obj{{"acknowledged", true}, {"shards_acknowledged", true}, {"indices", res}}), nil
	}
	for _, n := range names {
		e.indices[n].closed = false
	}
	return answerOK(obj{{"acknowledged", true}, {"shards_acknowledged", true}}), nil
}
