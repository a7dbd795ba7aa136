// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package esemulator

import (
	"bytes"
	"encoding/json"
	"net/http"
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

// MarshalJSON implements json.Marshaler.
func (o obj) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, p := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(p.k)
		b.Write(k)
		b.WriteByte(':')
		v, err := json.Marshal(p.v)
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

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
	full := obj{{"root_cause", []obj{cause}}}
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
