// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package camunda

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// reply is one answer of the fake: a status and a body, JSON unless
// contentType says otherwise.
type reply struct {
	status      int
	body        string
	contentType string
}

// sent is a request the fake got.
type sent struct {
	method, path, query string
	header              http.Header
	body                string
}

// fake is a Camunda endpoint answering "METHOD /path?query" from a table;
// anything else is a test failure (and 599).
type fake struct {
	t       *testing.T
	srv     *httptest.Server
	mu      sync.Mutex
	replies map[string][]reply // consumed in order; the last one repeats
	got     []sent
}

func newFake(t *testing.T, replies map[string][]reply) *fake {
	f := &fake{t: t, replies: replies}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fake) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	key := r.Method + " " + r.URL.Path
	if r.URL.RawQuery != "" {
		key += "?" + r.URL.RawQuery
	}
	f.mu.Lock()
	f.got = append(f.got, sent{method: r.Method, path: r.URL.Path, query: r.URL.RawQuery, header: r.Header.Clone(), body: string(body)})
	queue, ok := f.replies[key]
	var rep reply
	if ok && len(queue) > 0 {
		rep = queue[0]
		if len(queue) > 1 {
			f.replies[key] = queue[1:]
		}
	}
	f.mu.Unlock()
	if !ok {
		f.t.Errorf("unexpected request %s", key)
		w.WriteHeader(599)
		return
	}
	ct := rep.contentType
	if ct == "" && rep.body != "" {
		ct = "application/json"
	}
	if ct != "" {
		w.Header().Set("Content-Type", ct)
	}
	w.WriteHeader(rep.status)
	_, _ = io.WriteString(w, rep.body)
}

// requests are the requests the fake got.
func (f *fake) requests() []sent {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]sent(nil), f.got...)
}

func (f *fake) url() string { return f.srv.URL }

// one is a table of one reply per request.
func one(m map[string]reply) map[string][]reply {
	out := make(map[string][]reply, len(m))
	for k, v := range m {
		out[k] = []reply{v}
	}
	return out
}
