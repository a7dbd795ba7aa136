// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package esemulator

import (
	"net/http"
	"strings"
	"testing"
)

// Elasticsearch splits the raw path on '/' and then decodes each segment
// (RestUtils.decodeComponent): an encoded slash is part of a name, '+' is
// not a space, and a malformed escape is refused with its message.
func TestPathSegmentsDecodeAsElasticsearch(t *testing.T) {
	tests := []struct {
		raw  string
		want []string
		err  string
	}{
		{"/", nil, ""},
		{"/_snapshot/backups/", []string{"_snapshot", "backups"}, ""},
		{"/_snapshot/back%75ps/%2561", []string{"_snapshot", "backups", "%61"}, ""},
		{"/_snapshot/r/a%2Fb", []string{"_snapshot", "r", "a/b"}, ""},
		{"/_snapshot/r/a+b", []string{"_snapshot", "r", "a+b"}, ""},
		{"/_snapshot/r/%C3%A9", []string{"_snapshot", "r", "é"}, ""},
		{"/_snapshot/r/%%", []string{"_snapshot", "r", "%"}, ""},
		{"/_snapshot/r/a%", nil, "unterminated escape sequence at end of string: a%"},
		{"/_snapshot/r/a%4", nil, "partial escape sequence at end of string: a%4"},
		{"/_snapshot/r/a%zzb", nil, "invalid escape sequence `%zz' at index 1 of: a%zzb"},
	}
	for _, tt := range tests {
		got, err := pathSegments(tt.raw)
		if tt.err != "" {
			if err == nil || err.Error() != tt.err {
				t.Errorf("pathSegments(%q) error = %v, want %q", tt.raw, err, tt.err)
			}
			continue
		}
		if err != nil || strings.Join(got, "|") != strings.Join(tt.want, "|") || len(got) != len(tt.want) {
			t.Errorf("pathSegments(%q) = %q, %v; want %q", tt.raw, got, err, tt.want)
		}
	}
}

// A dropped answer: the request is carried out, the client gets no answer.
func TestDropAnswerNextExecutesAndAnswersNothing(t *testing.T) {
	srv, err := Start(Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = srv.Close() }()
	srv.DropAnswerNext("PUT", "/_snapshot/r", 1)
	req, _ := http.NewRequest(http.MethodPut, srv.URL+"/_snapshot/r", strings.NewReader(`{"type":"fs","settings":{"location":"/x"}}`))
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err == nil {
		_ = res.Body.Close()
		t.Fatalf("got an answer %d, want none", res.StatusCode)
	}
	if got := srv.Repositories(); len(got) != 1 || got[0] != "r" {
		t.Fatalf("repositories = %v: the request must have been carried out", got)
	}
	if reqs := srv.Requests(); len(reqs) != 1 || reqs[0].Status != http.StatusOK {
		t.Fatalf("request log = %+v", reqs)
	}
}
