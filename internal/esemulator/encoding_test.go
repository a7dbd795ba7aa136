// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package esemulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// legacyObj is obj as it was encoded before appendJSON: json.Marshal of
// every key and value, each nested answer re-scanned by encoding/json. It is
// the reference appendJSON must match byte for byte.
type legacyObj []kv

func (o legacyObj) MarshalJSON() ([]byte, error) {
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

// legacy turns the objs in v (and in the containers appendJSON writes
// itself) into legacyObjs, so that json.Marshal(legacy(v)) is the old
// encoding of v.
func legacy(v any) any {
	switch v := v.(type) {
	case obj:
		if v == nil {
			return legacyObj(nil)
		}
		out := make(legacyObj, len(v))
		for i, p := range v {
			out[i] = kv{p.k, legacy(p.v)}
		}
		return out
	case []obj:
		if v == nil {
			return []legacyObj(nil)
		}
		out := make([]legacyObj, len(v))
		for i, o := range v {
			out[i] = legacy(o).(legacyObj)
		}
		return out
	case []any:
		if v == nil {
			return []any(nil)
		}
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = legacy(x)
		}
		return out
	case map[string]any:
		if v == nil {
			return map[string]any(nil)
		}
		out := make(map[string]any, len(v))
		for k, x := range v {
			out[k] = legacy(x)
		}
		return out
	}
	return v
}

// sameEncoding reports how appendJSON and the old encoding differ on v
// (empty when they write the same bytes, or fail with the same error).
func sameEncoding(v any) string {
	got, err := appendJSON(nil, v)
	want, wantErr := json.Marshal(legacy(v))
	switch {
	case err != nil || wantErr != nil:
		// The same words, the reference type named as the old one was.
		if err == nil || wantErr == nil || err.Error() != strings.ReplaceAll(wantErr.Error(), "legacyObj", "obj") {
			return fmt.Sprintf("error %v, the old encoding's %v", err, wantErr)
		}
	case !bytes.Equal(got, want):
		return fmt.Sprintf("\n got %s\nwant %s", got, want)
	}
	// encoding/json, reaching an obj through MarshalJSON, writes it alike.
	if viaMarshal, err := json.Marshal(v); (err == nil) != (wantErr == nil) || err == nil && !bytes.Equal(viaMarshal, want) ||
		err != nil && err.Error() != strings.ReplaceAll(wantErr.Error(), "legacyObj", "obj") {
		return fmt.Sprintf("\njson.Marshal %s (%v)\n        want %s", viaMarshal, err, want)
	}
	return ""
}

// TestMain holds every answer the package's tests get from writeJSON (the
// snapshot, repository, index, cat, error and control answers of every
// engine) to the old encoding.
func TestMain(m *testing.M) {
	var mu sync.Mutex
	checked := 0
	var mismatches []string
	answerCheck = func(v any, b []byte) {
		want, err := json.Marshal(legacy(v))
		mu.Lock()
		defer mu.Unlock()
		checked++
		if err != nil || !bytes.Equal(b, want) {
			mismatches = append(mismatches, fmt.Sprintf("answer\n got %s\nwant %s (%v)", b, want, err))
		}
	}
	code := m.Run()
	answerCheck = nil
	for _, m := range mismatches {
		fmt.Fprintln(os.Stderr, "FAIL: an answer differs from the old encoding:", m)
	}
	if len(mismatches) > 0 && code == 0 {
		code = 1
	}
	if testing.Verbose() {
		fmt.Printf("%d answers checked against the old encoding\n", checked)
	}
	os.Exit(code)
}

// awkward are strings json.Marshal escapes or rewrites: HTML characters,
// U+2028 and U+2029, control characters, quotes, invalid and truncated
// UTF-8, and plain text around them.
var awkward = []string{
	"", "a", "camunda_optimize_1_3.9.0_part_1_of_2", "<", ">", "&", "a<b>&c", "\u2028", "\u2029", "x\u2028y\u2029",
	"\x00", "\x01", "\x1f", "\x7f", "\b", "\f", "\n", "\r", "\t", `"`, `\`, `\"`, "/", "é", "日本", "😀",
	"\xff", "\xe2\x80", "\xe2\x80\xa8", "\xed\xa0\x80", "\ufffd", "%2F", "+", " ", "{}", "[1]", "null",
}

func TestAppendJSONMatchesMarshal(t *testing.T) {
	var nilObj obj
	values := []any{
		nil, nilObj, obj{}, []obj(nil), []obj{}, []obj{nil, {}}, []any(nil), []any{}, []string(nil), []string{},
		map[string]any(nil), map[string]any{}, true, false, 0, -1, 42, math.MaxInt64, math.MinInt64,
		int64(math.MaxInt64), int64(-7), 1.5, 0.0, 1e21, 1e-7, float32(0.1), uint8(255), uint64(math.MaxUint64),
		json.Number("12"), json.RawMessage(` { "a" : "<b>" , "c":[ 1 , 2 ] } `),
		time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC), 5 * time.Second,
		map[string][]string{"WWW-Authenticate": {`Basic realm="security" charset="UTF-8"`, "ApiKey"}},
		[]Request{{Method: "GET", Path: "/_snapshot/r/<x>", Query: "a=b&c", Status: 200, Duration: time.Millisecond}},
		map[string]any{"z": 1, "a": obj{{"b", []obj{{{"<", "&"}}}}}, "é": []any{nil, "x", obj{}}, "A": map[string]any{"y": nil}},
		map[string]obj{"k": {{"v", "<"}}}, []map[string]any{{"a": obj{{"b", 1}}}},
		obj{{"error", obj{{"root_cause", []obj{{{"type", "t"}, {"reason", "r <&>"}}}}, {"type", "t"}}}, {"status", 404}},
		plainText("text <&>"),
	}
	for _, s := range awkward {
		values = append(values, s, obj{{s, s}}, []string{s, s}, []any{s}, map[string]any{s: s, s + "x": []string{s}})
	}
	// Values json.Marshal refuses: appendJSON refuses them too.
	values = append(values, obj{{"c", make(chan int)}}, obj{{"f", math.NaN()}}, []any{math.Inf(1)}, map[string]any{"f": func() {}},
		obj{{"a", []obj{{{"b", []any{obj{{"c", math.NaN()}}}}}}}}, map[string]obj{"k": {{"c", obj{{"d", make(chan int)}}}}},
		[]obj{{{"a", map[string]any{"b": obj{{"c", func() {}}}}}}})
	for i, v := range values {
		if diff := sameEncoding(v); diff != "" {
			t.Errorf("value %d (%T %#v): %s", i, v, v, diff)
		}
	}
}

// TestAppendJSONMatchesMarshalRandom encodes random nested values built of
// awkward strings both ways.
func TestAppendJSONMatchesMarshalRandom(t *testing.T) {
	rnd := rand.New(rand.NewSource(13))
	randString := func() string {
		var sb strings.Builder
		for n := rnd.Intn(4); n >= 0; n-- {
			sb.WriteString(awkward[rnd.Intn(len(awkward))])
		}
		return sb.String()
	}
	var value func(depth int) any
	objValue := func(depth int) obj {
		o := obj{}
		for n := rnd.Intn(5); n > 0; n-- {
			o = o.set(randString(), value(depth+1))
		}
		return o
	}
	value = func(depth int) any {
		kind := rnd.Intn(14)
		if depth > 3 && kind < 6 {
			kind += 6 // no deeper containers
		}
		n := rnd.Intn(4)
		switch kind {
		case 0, 1:
			return objValue(depth)
		case 2:
			list := []obj{}
			for ; n > 0; n-- {
				list = append(list, objValue(depth+1))
			}
			return list
		case 3:
			list := []any{}
			for ; n > 0; n-- {
				list = append(list, value(depth+1))
			}
			return list
		case 4:
			m := map[string]any{}
			for ; n > 0; n-- {
				m[randString()] = value(depth + 1)
			}
			return m
		case 5:
			return map[string][]string{randString(): {randString()}}
		case 6:
			list := []string{}
			for ; n > 0; n-- {
				list = append(list, randString())
			}
			return list
		case 7, 8:
			return randString()
		case 9:
			return rnd.Intn(2) == 0
		case 10:
			return rnd.Int() - rnd.Int()
		case 11:
			return rnd.Int63()
		case 12:
			return rnd.NormFloat64() * 1e6
		}
		return nil
	}
	for i := 0; i < 3000; i++ {
		v := value(0)
		if i%2 == 0 {
			v = objValue(0) // an answer is an obj
		}
		if diff := sameEncoding(v); diff != "" {
			t.Fatalf("value %d: %s", i, diff)
		}
	}
}

// FuzzAppendJSON holds appendJSON to the old encoding for any string and
// number in the shapes of an answer.
func FuzzAppendJSON(f *testing.F) {
	for i, s := range awkward {
		f.Add(s, int64(i), i%2 == 0)
	}
	f.Fuzz(func(t *testing.T, s string, n int64, b bool) {
		v := obj{{s, s}, {"n", n}, {"i", int(n)}, {"b", b}, {"list", []string{s, "x", s}},
			{"nested", []obj{{{s, obj{{"b", b}, {"any", []any{s, n, nil, obj{{s, nil}}}}}}}}},
			{"metadata", map[string]any{s: s, "x": n, s + "y": map[string]any{"z": []any{s}}}}}
		if diff := sameEncoding(v); diff != "" {
			t.Fatal(diff)
		}
	})
}

// An answer that cannot be encoded is the same 500 as before.
func TestWriteJSONUnencodableAnswer(t *testing.T) {
	v := obj{{"snapshots", []obj{{{"bad", make(chan int)}}}}}
	_, wantErr := json.Marshal(legacy(v))
	if wantErr == nil {
		t.Fatal("the old encoding accepts a channel")
	}
	rec := httptest.NewRecorder()
	writeJSON(rec, httptest.NewRequest(http.MethodGet, "/_snapshot/r/x", nil), http.StatusOK, v)
	// The old encoding named the type obj; the reference here is legacyObj.
	want := `{"error":"emulator: ` + strings.ReplaceAll(wantErr.Error(), "legacyObj", "obj") + `","status":500}`
	if rec.Code != http.StatusInternalServerError || rec.Body.String() != want || rec.Header().Get("Content-Type") != "application/json; charset=UTF-8" {
		t.Errorf("%d %q %s, want 500 %s", rec.Code, rec.Header().Get("Content-Type"), rec.Body, want)
	}
}

// ?pretty (spelled out or escaped) still indents the answer as
// json.MarshalIndent does; ?pretty=false does not.
func TestWriteJSONPretty(t *testing.T) {
	v := obj{{"a", []obj{{{"b", "<&>"}}}}, {"c", 1}}
	indented, _ := json.MarshalIndent(legacy(v), "", "  ")
	compact, _ := json.Marshal(legacy(v))
	for query, want := range map[string][]byte{
		"": compact, "?pretty": indented, "?pretty=true": indented, "?%70retty": indented, "?pretty=false": compact,
		"?prettyx": compact, "?human&pretty": indented,
	} {
		rec := httptest.NewRecorder()
		writeJSON(rec, httptest.NewRequest(http.MethodGet, "/"+query, nil), http.StatusOK, v)
		if !bytes.Equal(rec.Body.Bytes(), want) {
			t.Errorf("%q: %s, want %s", query, rec.Body, want)
		}
	}
}
