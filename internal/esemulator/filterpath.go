// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package esemulator

import (
	"bytes"
	"encoding/json"
	"strings"
)

// filter_path, the response filter every API takes (AbstractRestChannel
// .newBuilder: Strings.tokenizeByCommaToSet of the parameter, "-" in front
// of an exclusion; XContent's FilterPath and FilterPathBasedFilter with
// Jackson's FilteringGeneratorDelegate, including the path). A filter is a
// dotted path whose segments are field names, simple "*" wildcards, or
// "**" for any number of levels (a dot escaped by a backslash is part of
// a name: the cat APIs' columns and flat settings have dots); arrays are crossed without a segment. An
// object left with nothing is left out; the root object is written even
// then ({}). Errors are not filtered (newErrorBuilder), nor text answers.

// filterPath filters a handler's answer body.
func filterPath(body any, param string) any {
	if _, ok := body.(plainText); ok || body == nil {
		return body
	}
	var include, exclude []filterState
	for _, f := range strings.Split(param, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if strings.HasPrefix(f, "-") {
			exclude = append(exclude, filterState{filterSegments(f[1:]), 0})
		} else {
			include = append(include, filterState{filterSegments(f), 0})
		}
	}
	if len(include) == 0 && len(exclude) == 0 {
		return body
	}
	b, err := appendJSON(nil, body)
	if err != nil {
		return body
	}
	v, err := decodeOrdered(json.NewDecoder(bytes.NewReader(b)))
	if err != nil {
		return body
	}
	if len(exclude) > 0 {
		if out, ok := filterValue(v, exclude, false); ok {
			v = out
		} else {
			v = emptyLike(v)
		}
	}
	if len(include) > 0 {
		if out, ok := filterValue(v, include, true); ok {
			v = out
		} else {
			v = emptyLike(v)
		}
	}
	return v
}

// filterSegments is FilterPath.parse: a filter split on its dots, but for
// a dot escaped by a backslash, which is part of a field name
// (filter_path=disk\.avail matches the field "disk.avail").
func filterSegments(f string) []string {
	var segs []string
	var cur strings.Builder
	for i := 0; i < len(f); i++ {
		switch {
		case f[i] == '\\' && i+1 < len(f) && f[i+1] == '.':
			cur.WriteByte('.')
			i++
		case f[i] == '.':
			segs = append(segs, cur.String())
			cur.Reset()
		default:
			cur.WriteByte(f[i])
		}
	}
	return append(segs, cur.String())
}

// emptyLike is what is written of a root that kept nothing.
func emptyLike(v any) any {
	if _, ok := v.([]any); ok {
		return []any{}
	}
	return obj{}
}

// filterState is a filter and how far into it a field's path is.
type filterState struct {
	segments []string
	at       int
}

// step matches a field name against the states: whether a filter ends on
// it (the whole field matches), and the states its value goes on with.
func step(states []filterState, name string) (bool, []filterState) {
	var next []filterState
	full := false
	var visit func(s filterState)
	visit = func(s filterState) {
		if s.at == len(s.segments) {
			full = true
			return
		}
		seg := s.segments[s.at]
		if seg == "**" {
			next = append(next, s)                   // ** takes this field, and maybe more
			visit(filterState{s.segments, s.at + 1}) // or none
			if s.at+1 == len(s.segments) {
				full = true
			}
			return
		}
		if seg == name || strings.Contains(seg, "*") && glob(seg, name) {
			if s.at+1 == len(s.segments) {
				full = true
				return
			}
			next = append(next, filterState{s.segments, s.at + 1})
		}
	}
	for _, s := range states {
		visit(s)
	}
	return full, next
}

// filterValue filters v with the states: include keeps what the filters
// reach, exclude drops it. ok is false when nothing is left of v.
func filterValue(v any, states []filterState, include bool) (any, bool) {
	switch t := v.(type) {
	case obj:
		out := obj{}
		for _, p := range t {
			full, next := step(states, p.k)
			switch {
			case full && include:
				out = append(out, p)
			case full:
			case len(next) > 0:
				if fv, ok := filterValue(p.v, next, include); ok {
					out = append(out, kv{p.k, fv})
				}
			case !include:
				out = append(out, p)
			}
		}
		return out, len(out) > 0
	case []any:
		out := []any{}
		for _, x := range t {
			if fx, ok := filterValue(x, states, include); ok {
				out = append(out, fx)
			}
		}
		return out, len(out) > 0
	}
	// A scalar the filters go on past: an include has not reached it, an
	// exclude has not removed it.
	return v, !include
}

// decodeOrdered decodes a JSON value keeping the order of object keys and
// numbers as written.
func decodeOrdered(d *json.Decoder) (any, error) {
	d.UseNumber()
	tok, err := d.Token()
	if err != nil {
		return nil, err
	}
	if t, ok := tok.(json.Delim); ok {
		switch t {
		case '{':
			o := obj{}
			for d.More() {
				k, err := d.Token()
				if err != nil {
					return nil, err
				}
				v, err := decodeOrdered(d)
				if err != nil {
					return nil, err
				}
				o = append(o, kv{k.(string), v})
			}
			_, err := d.Token()
			return o, err
		case '[':
			a := []any{}
			for d.More() {
				v, err := decodeOrdered(d)
				if err != nil {
					return nil, err
				}
				a = append(a, v)
			}
			_, err := d.Token()
			return a, err
		}
	}
	return tok, nil
}
