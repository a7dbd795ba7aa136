// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package esemulator

import (
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"strconv"
)

// obj is a JSON object that keeps its keys in the order Elasticsearch
// writes them, so that responses read like the real thing.
type obj []kv

type kv struct {
	k string
	v any
}

func (o obj) set(k string, v any) obj { return append(o, kv{k, v}) }

// MarshalJSON implements json.Marshaler. The emulator's own encoding goes
// through appendJSON; this is for an obj that reaches encoding/json inside
// a value appendJSON hands over to it (a map of objs, say).
func (o obj) MarshalJSON() ([]byte, error) {
	b, err := appendObj(nil, o)
	var own *json.MarshalerError
	if errors.As(err, &own) && own.Type == objType {
		// The caller, encoding/json, names this obj itself.
		err = own.Err
	}
	return b, err
}

var objType = reflect.TypeFor[obj]()

// appendJSON appends the JSON of v to b, byte for byte as json.Marshal(v)
// writes it, in one pass. json.Marshal re-scans (compacts and escapes) the
// output of every MarshalJSON it calls, so that an obj inside a []obj inside
// an obj is scanned once per level; appendJSON writes the shapes answers are
// made of (obj, []obj, []any, []string, map[string]any, string, bool, int,
// int64, nil) itself and hands any other type to json.Marshal, whose output
// is already compact and escaped. TestAppendJSONMatchesMarshal holds it to
// json.Marshal's bytes.
func appendJSON(b []byte, v any) ([]byte, error) {
	var err error
	switch v := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case obj:
		return appendObj(b, v)
	case string:
		return appendString(b, v), nil
	case bool:
		return strconv.AppendBool(b, v), nil
	case int:
		return strconv.AppendInt(b, int64(v), 10), nil
	case int64:
		return strconv.AppendInt(b, v, 10), nil
	case []string:
		if v == nil {
			return append(b, "null"...), nil // as json.Marshal writes a nil slice
		}
		b = append(b, '[')
		for i, s := range v {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, s)
		}
		return append(b, ']'), nil
	case []obj:
		if v == nil {
			return append(b, "null"...), nil
		}
		b = append(b, '[')
		for i, o := range v {
			if i > 0 {
				b = append(b, ',')
			}
			if b, err = appendObj(b, o); err != nil {
				return b, err
			}
		}
		return append(b, ']'), nil
	case []any:
		if v == nil {
			return append(b, "null"...), nil
		}
		b = append(b, '[')
		for i, x := range v {
			if i > 0 {
				b = append(b, ',')
			}
			if b, err = appendJSON(b, x); err != nil {
				return b, err
			}
		}
		return append(b, ']'), nil
	case map[string]any:
		if v == nil {
			return append(b, "null"...), nil
		}
		// json.Marshal writes a map's keys in byte order.
		b = append(b, '{')
		for i, k := range sortedKeys(v) {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(appendString(b, k), ':')
			if b, err = appendJSON(b, v[k]); err != nil {
				return b, err
			}
		}
		return append(b, '}'), nil
	}
	m, err := json.Marshal(v)
	if err != nil {
		return b, err
	}
	return append(b, m...), nil
}

// appendObj appends an obj's JSON: its keys in their order. A nil obj is
// {} (json.Marshal calls MarshalJSON on a nil obj too). A value it cannot
// encode is an error that names the obj, as json.Marshal's error names
// every obj around the value.
func appendObj(b []byte, o obj) ([]byte, error) {
	var err error
	b = append(b, '{')
	for i, p := range o {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(appendString(b, p.k), ':')
		if b, err = appendJSON(b, p.v); err != nil {
			return b, &json.MarshalerError{Type: objType, Err: err}
		}
	}
	return append(b, '}'), nil
}

// appendString appends a JSON string. A string of printable ASCII that
// json.Marshal writes as is (no '"', '\\', and none of '<', '>', '&',
// which it escapes for HTML) is copied between quotes; any other goes
// through json.Marshal, which escapes control characters, replaces invalid
// UTF-8 and escapes U+2028 and U+2029 its own way.
func appendString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if !asIs[s[i]] {
			m, _ := json.Marshal(s) // a string always encodes
			return append(b, m...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// asIs says which bytes appendString copies as they are.
var asIs = func() (t [256]bool) {
	for c := 0x20; c < 0x7f; c++ {
		t[c] = true
	}
	for _, c := range `"\<>&` {
		t[c] = false
	}
	return t
}()

// esError is an Elasticsearch exception: its type, reason, HTTP status and
// the extra fields some exceptions carry (index, resource.id, ...).
type esError struct {
	status int
	typ    string
	reason string
	extra  obj
	header map[string][]string
	// text, when set, is the whole answer, in plain text (OpenSearch's
	// security plugin answers a failed authentication so).
	text string
}

func (e *esError) Error() string { return e.typ + ": " + e.reason }

func newError(status int, typ, reason string, extra ...kv) *esError {
	return &esError{status: status, typ: typ, reason: reason, extra: extra}
}

func (e *esError) cause() obj {
	c := obj{{"type", e.typ}, {"reason", e.reason}}
	c = append(c, e.extra...)
	if len(e.header) > 0 {
		c = c.set("header", e.header)
	}
	return c
}

func (e *esError) body() obj {
	cause := e.cause()
	// ElasticsearchException.generateFailureXContent writes each root cause
	// with REST_EXCEPTION_SKIP_CAUSE: no caused_by there.
	var root obj
	for _, f := range cause {
		if f.k != "caused_by" {
			root = append(root, f)
		}
	}
	full := obj{{"root_cause", []obj{root}}}
	full = append(full, cause...)
	return obj{{"error", full}, {"status", e.status}}
}

// The exceptions of the snapshot, repository and index APIs.

func errRepositoryMissing(repo string) *esError {
	return newError(http.StatusNotFound, "repository_missing_exception", "["+repo+"] missing")
}

func errSnapshotMissing(repo, name string) *esError {
	return newError(http.StatusNotFound, "snapshot_missing_exception", "["+repo+":"+name+"] is missing")
}

func errInvalidSnapshotName(repo, name, desc string) *esError {
	return newError(http.StatusBadRequest, "invalid_snapshot_name_exception",
		"["+repo+":"+name+"] Invalid snapshot name ["+name+"], "+desc)
}

func errRestore(repo, name, msg string) *esError {
	return newError(http.StatusInternalServerError, "snapshot_restore_exception", "["+repo+":"+name+"] "+msg)
}

func errIndexNotFound(name string) *esError {
	return newError(http.StatusNotFound, "index_not_found_exception", "no such index ["+name+"]",
		kv{"resource.type", "index_or_alias"}, kv{"resource.id", name}, kv{"index_uuid", "_na_"}, kv{"index", name})
}

func errIllegalArgument(reason string) *esError {
	return newError(http.StatusBadRequest, "illegal_argument_exception", reason)
}

func errParse(reason string) *esError {
	return newError(http.StatusBadRequest, "parse_exception", reason)
}

func errValidation(problems ...string) *esError {
	reason := "Validation Failed: "
	for i, p := range problems {
		reason += strconv.Itoa(i+1) + ": " + p + ";"
	}
	return newError(http.StatusBadRequest, "action_request_validation_exception", reason)
}
