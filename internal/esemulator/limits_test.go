// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package esemulator_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/optimize-tf/terraform-provider-optimize/internal/esemulator"
)

// rawAnswer is what rawRequest read.
type rawAnswer struct {
	StatusCode int
	Header     http.Header
	Close      bool
}

// rawRequest sends bytes as they are and reads the answer.
func rawRequest(t *testing.T, srv *esemulator.Server, raw string) (rawAnswer, string) {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close() }()
	if _, err := io.WriteString(conn, raw); err != nil {
		t.Fatal(err)
	}
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	_ = res.Body.Close()
	return rawAnswer{StatusCode: res.StatusCode, Header: res.Header, Close: res.Close}, string(body)
}

// The engines' HTTP decoder (Netty 4.1.89+, as Elasticsearch 7.17.11+, 8.8+
// and OpenSearch 2.7+ bundle it) refuses a request line over 4096 bytes and
// headers over http.max_header_size (8 KB; 16 KB on Elasticsearch 8.4+) with
// a 400 before any action: the line exactly 4096 bytes long passes.
func TestHTTPLimits(t *testing.T) {
	for _, tc := range []struct {
		engine      esemulator.Engine
		headerLimit int
		contentType string
		product     bool
	}{
		{esemulator.Elasticsearch717, 8192, "application/json; charset=UTF-8", true},
		{esemulator.Elasticsearch8, 16384, "application/json", true},
		{esemulator.OpenSearch2, 8192, "application/json; charset=UTF-8", false},
	} {
		t.Run(string(tc.engine), func(t *testing.T) {
			srv, err := esemulator.Start(esemulator.Config{Engine: tc.engine})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = srv.Close() })
			// "GET /" + target + " HTTP/1.1": the target fills the rest.
			line := func(n int) string {
				target := "/_snapshot/r/" + strings.Repeat("a", n-len("GET /_snapshot/r/ HTTP/1.1"))
				return "GET " + target + " HTTP/1.1"
			}
			res, body := rawRequest(t, srv, line(4096)+"\r\nHost: x\r\n\r\n")
			if res.StatusCode != http.StatusNotFound || !strings.Contains(body, "repository_missing_exception") {
				t.Fatalf("a 4096-byte line: %d %s, want the repository missing", res.StatusCode, body)
			}
			res, body = rawRequest(t, srv, line(4097)+"\r\nHost: x\r\n\r\n")
			wantLine := `{"error":{"root_cause":[{"type":"too_long_http_line_exception","reason":"An HTTP line is larger than 4096 bytes."}],"type":"too_long_http_line_exception","reason":"An HTTP line is larger than 4096 bytes."},"status":400}`
			if res.StatusCode != http.StatusBadRequest || body != wantLine {
				t.Fatalf("a 4097-byte line: %d %s, want 400 %s", res.StatusCode, body, wantLine)
			}
			if got := res.Header.Get("Content-Type"); got != tc.contentType {
				t.Errorf("Content-Type %q, want %q", got, tc.contentType)
			}
			if got := res.Header.Get("X-Elastic-Product") == "Elasticsearch"; got != tc.product {
				t.Errorf("X-Elastic-Product present %v, want %v", got, tc.product)
			}
			if !res.Close {
				t.Error("the connection stays open after a too-long line; the engine closes it")
			}

			// Headers: "Host: x" (7 bytes) and one "X-Fill: ..." line, summed
			// without line breaks.
			headers := func(sum int) string {
				return "Host: x\r\nX-Fill: " + strings.Repeat("f", sum-len("Host: x")-len("X-Fill: ")) + "\r\n"
			}
			res, body = rawRequest(t, srv, "GET / HTTP/1.1\r\n"+headers(tc.headerLimit)+"\r\n")
			if res.StatusCode != http.StatusOK {
				t.Fatalf("headers of %d bytes: %d %s", tc.headerLimit, res.StatusCode, body)
			}
			res, body = rawRequest(t, srv, "GET / HTTP/1.1\r\n"+headers(tc.headerLimit+1)+"\r\n")
			reason := fmt.Sprintf("HTTP header is larger than %d bytes.", tc.headerLimit)
			wantHeader := `{"error":{"root_cause":[{"type":"too_long_http_header_exception","reason":"` + reason + `"}],"type":"too_long_http_header_exception","reason":"` + reason + `"},"status":400}`
			if res.StatusCode != http.StatusBadRequest || body != wantHeader {
				t.Fatalf("headers of %d bytes: %d %s, want 400 %s", tc.headerLimit+1, res.StatusCode, body, wantHeader)
			}
			// Refused before any action, and in the request log.
			var logged bool
			for _, r := range srv.Requests() {
				logged = logged || r.Status == http.StatusBadRequest
			}
			if !logged {
				t.Error("the refused requests are not in the request log")
			}
		})
	}
}

// A refused request changes nothing: a create whose line is too long takes
// no snapshot.
func TestHTTPLimitsBeforeAnyAction(t *testing.T) {
	srv := start(t, esemulator.Config{})
	name := strings.Repeat("s", 4100)
	r := call(t, "PUT", srv.URL+"/_snapshot/backups/"+name+"?wait_for_completion=true", `{"indices":"optimize-metadata","include_global_state":false}`)
	wantStatus(t, r, 400)
	r = call(t, "GET", srv.URL+"/_snapshot/backups/_all", "")
	if n := len(r.body["snapshots"].([]any)); n != 0 {
		t.Fatalf("%d snapshots after a refused create", n)
	}
}
