// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package esemulator

import (
	"bytes"
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
	"strings"
)

// The update aliases API, POST /_aliases, as Elasticsearch 7.17 and 8.x
// (IndicesAliasesRequest, RestIndicesAliasesAction, MetadataIndexAliasesService)
// and OpenSearch 2.x (the same classes) carry it out: every action is
// checked first, then all of them apply at once, or none.
//
// Supported: "add" (index or indices, alias or aliases, is_write_index) and
// "remove" (index or indices, alias or aliases, must_exist). Fields the
// engines accept that the emulator does not model (filter, routing,
// is_hidden, remove_index) are refused rather than ignored: the emulator
// is never more lenient than the engines.

// aliasAction is one parsed action.
type aliasAction struct {
	typ        string // add, remove
	indices    []string
	aliases    []string
	writeIndex *bool
	mustExist  *bool
}

// aliasFields are the fields of an action the emulator models, per type
// (AliasActions.parser, ADD_PARSER, REMOVE_PARSER).
var aliasFields = map[string][]string{
	"add":    {"index", "indices", "alias", "aliases", "is_write_index"},
	"remove": {"index", "indices", "alias", "aliases", "must_exist"},
}

// aliasFieldsNotModelled are fields the engines take that the emulator
// does not model.
var aliasFieldsNotModelled = []string{"filter", "routing", "index_routing", "search_routing", "is_hidden"}

func (e *Emulator) updateAliases(body []byte) (answer, *esError) {
	if len(bytes.TrimSpace(body)) == 0 {
		return answer{}, newError(http.StatusBadRequest, "parse_exception", "request body is required")
	}
	actions, err := parseAliasActions(body)
	if err != nil {
		return answer{}, err
	}
	if len(actions) == 0 {
		return answer{}, errValidation("Must specify at least one alias action")
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	next, err := e.applyAliasActionsLocked(actions)
	if err != nil {
		return answer{}, err
	}
	for name, aliases := range next {
		e.indices[name].aliases = aliases
	}
	return answerOK(obj{{"acknowledged", true}}), nil
}

// applyAliasActionsLocked computes every index's aliases after the actions,
// without changing anything, and checks the result as the cluster state's
// builder does. Callers hold e.mu.
func (e *Emulator) applyAliasActionsLocked(actions []aliasAction) (map[string]map[string]aliasMeta, *esError) {
	next := map[string]map[string]aliasMeta{}
	for name, ix := range e.indices {
		next[name] = cloneAliases(ix.aliases)
	}
	for _, a := range actions {
		// IndicesAliasesRequest's indices options: every named index must
		// exist (no wildcard expansion to nothing, no alias resolution).
		names, err := e.resolveLocked(a.indices, false, false)
		if err != nil {
			return nil, err
		}
		for _, n := range names {
			for _, alias := range a.aliases {
				if err := applyAliasAction(a, n, alias, next); err != nil {
					return nil, err
				}
			}
		}
	}
	return next, checkWriteIndices(next)
}

func applyAliasAction(a aliasAction, index, alias string, next map[string]map[string]aliasMeta) *esError {
	switch a.typ {
	case "add":
		// AliasValidator.validateAlias / MetadataIndexAliasesService: an
		// alias cannot have an index's name.
		if _, clash := next[alias]; clash || alias == index {
			return newError(http.StatusBadRequest, "invalid_alias_name_exception",
				"Invalid alias name ["+alias+"], an index or data stream exists with the same name as the alias",
				kv{"index_uuid", "_na_"}, kv{"index", alias})
		}
		if err := validateIndexName(alias); err != nil {
			err.typ, err.reason = "invalid_alias_name_exception", strings.Replace(err.reason, "Invalid index name", "Invalid alias name", 1)
			return err
		}
		next[index][alias] = aliasMeta{writeIndex: a.writeIndex}
	case "remove":
		if _, ok := next[index][alias]; !ok && a.mustExist != nil && *a.mustExist {
			return newError(http.StatusNotFound, "aliases_not_found_exception", "aliases ["+alias+"] missing",
				kv{"resource.type", "aliases"}, kv{"resource.id", alias})
		}
		delete(next[index], alias)
	}
	return nil
}

// checkWriteIndices refuses an alias with more than one write index
// (Metadata.Builder#validateAlias: an IllegalStateException, 500).
func checkWriteIndices(next map[string]map[string]aliasMeta) *esError {
	writers := map[string][]string{}
	for _, name := range sortedKeys(next) {
		for alias, meta := range next[name] {
			if meta.writeIndex != nil && *meta.writeIndex {
				writers[alias] = append(writers[alias], name)
			}
		}
	}
	for _, alias := range sortedKeys(writers) {
		if w := writers[alias]; len(w) > 1 {
			sort.Strings(w)
			return newError(http.StatusInternalServerError, "illegal_state_exception",
				"alias ["+alias+"] has more than one write index ["+strings.Join(w, ",")+"]")
		}
	}
	return nil
}

func cloneAliases(m map[string]aliasMeta) map[string]aliasMeta {
	out := make(map[string]aliasMeta, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// parseAliasActions reads {"actions":[{"add":{..}},..]}. An unknown field
// fails as the engines' ObjectParser does: x_content_parse_exception at the
// field's position, wrapped by each enclosing parser.
func parseAliasActions(body []byte) ([]aliasAction, *esError) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil {
		return nil, errParse("Failed to parse content to map")
	}
	for _, k := range sortedKeys(top) {
		if k != "actions" {
			return nil, unknownField(body, k, "aliases")
		}
	}
	var raw []map[string]json.RawMessage
	if err := json.Unmarshal(top["actions"], &raw); err != nil && len(top["actions"]) > 0 {
		return nil, errIllegalArgument("[aliases] failed to parse field [actions]")
	}
	var out []aliasAction
	for _, entry := range raw {
		if len(entry) != 1 {
			return nil, errIllegalArgument("Too many operations declared on operation entry")
		}
		for typ, fields := range entry {
			a, err := parseAliasAction(body, typ, fields)
			if err != nil {
				return nil, err
			}
			out = append(out, a)
		}
	}
	return out, nil
}

func parseAliasAction(body []byte, typ string, fields json.RawMessage) (aliasAction, *esError) {
	a := aliasAction{typ: typ}
	allowed, ok := aliasFields[typ]
	if !ok {
		if typ == "remove_index" {
			return a, errIllegalArgument("the emulator does not carry out remove_index actions")
		}
		return a, unknownField(body, typ, "alias_action")
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(fields, &m); err != nil {
		return a, errIllegalArgument("[" + typ + "] must be an object")
	}
	for _, k := range sortedKeys(m) {
		if contains(aliasFieldsNotModelled, k) {
			return a, errIllegalArgument("the emulator does not model [" + k + "] of alias actions")
		}
		if !contains(allowed, k) {
			return a, unknownField(body, k, typ)
		}
	}
	var err error
	if a.indices, err = oneOrList(m, "index", "indices"); err != nil {
		return a, errIllegalArgument(err.Error())
	}
	if a.aliases, err = oneOrList(m, "alias", "aliases"); err != nil {
		return a, errIllegalArgument(err.Error())
	}
	for k, dst := range map[string]**bool{"is_write_index": &a.writeIndex, "must_exist": &a.mustExist} {
		if v, ok := m[k]; ok {
			var b bool
			if json.Unmarshal(v, &b) != nil {
				return a, errIllegalArgument("[" + typ + "] failed to parse field [" + k + "]")
			}
			*dst = &b
		}
	}
	// AliasActions.validate, called as each action is added.
	if a.indices == nil {
		return a, errIllegalArgument("One of [index] or [indices] is required")
	}
	if len(a.aliases) == 0 {
		return a, errIllegalArgument("One of [alias] or [aliases] is required")
	}
	return a, nil
}

// oneOrList reads the single-value field or the list field, not both
// ("Only one of [index] and [indices] is supported").
func oneOrList(m map[string]json.RawMessage, one, list string) ([]string, error) {
	_, hasOne := m[one]
	_, hasList := m[list]
	if hasOne && hasList {
		return nil, errString("Only one of [" + one + "] and [" + list + "] is supported")
	}
	if hasOne {
		var s string
		if json.Unmarshal(m[one], &s) != nil || s == "" {
			return nil, errString("[" + one + "] can't be empty string")
		}
		return []string{s}, nil
	}
	if hasList {
		var l []string
		if json.Unmarshal(m[list], &l) != nil || len(l) == 0 {
			return nil, errString("[" + list + "] can't be empty")
		}
		for _, s := range l {
			if s == "" {
				return nil, errString("[" + list + "] can't contain empty string")
			}
		}
		return l, nil
	}
	return nil, nil
}

type errString string

func (e errString) Error() string { return string(e) }

// unknownField is ObjectParser's error for field in parser's object, at the
// field name's position (line 1, column of its opening quote, 1-based, as
// Jackson's token location counts), wrapped as the enclosing parsers wrap
// it.
func unknownField(body []byte, field, parser string) *esError {
	loc := "[" + fieldPosition(body, field) + "] "
	inner := newError(http.StatusBadRequest, "x_content_parse_exception", loc+"["+parser+"] unknown field ["+field+"]")
	if parser == "aliases" {
		return inner
	}
	if parser != "alias_action" {
		inner = &esError{status: http.StatusBadRequest, typ: "x_content_parse_exception",
			reason: loc + "[alias_action] failed to parse field [" + parser + "]", extra: obj{{"caused_by", inner.cause()}}}
	}
	return &esError{status: http.StatusBadRequest, typ: "x_content_parse_exception",
		reason: loc + "[aliases] failed to parse field [actions]", extra: obj{{"caused_by", inner.cause()}}}
}

// fieldPosition is "line:column" of the first key named field in body.
func fieldPosition(body []byte, field string) string {
	dec := json.NewDecoder(bytes.NewReader(body))
	quoted, _ := json.Marshal(field)
	for {
		tok, err := dec.Token()
		if err != nil {
			return "1:1"
		}
		if s, ok := tok.(string); ok && s == field {
			end := int(dec.InputOffset())
			start := end - len(quoted)
			line := 1 + bytes.Count(body[:start], []byte("\n"))
			col := start - bytes.LastIndexByte(body[:start], '\n')
			return strconv.Itoa(line) + ":" + strconv.Itoa(col)
		}
	}
}
