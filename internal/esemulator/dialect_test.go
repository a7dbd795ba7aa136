// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package esemulator_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/optimize-tf/terraform-provider-optimize/internal/esemulator"
)

func startEngine(t *testing.T, engine esemulator.Engine) *esemulator.Server {
	t.Helper()
	srv, err := esemulator.Start(esemulator.Config{Engine: engine})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return srv
}

// GET / and the product header, as each engine answers.
func TestDialect_Root(t *testing.T) {
	for _, c := range []struct {
		engine                   esemulator.Engine
		product, number, tagline string
		distribution, flavor     any
		minWire                  string
	}{
		{esemulator.Elasticsearch717, "Elasticsearch", "7.17.18", "You Know, for Search", nil, "default", "6.8.0"},
		{esemulator.Elasticsearch8, "Elasticsearch", "8.17.0", "You Know, for Search", nil, "default", "7.17.0"},
		{esemulator.OpenSearch2, "", "2.19.1", "The OpenSearch Project: https://opensearch.org/", "opensearch", nil, "7.10.0"},
	} {
		t.Run(string(c.engine), func(t *testing.T) {
			srv := startEngine(t, c.engine)
			r := call(t, "GET", srv.URL+"/", "")
			wantStatus(t, r, 200)
			if got := r.header.Get("X-Elastic-Product"); got != c.product {
				t.Errorf("X-Elastic-Product %q, want %q", got, c.product)
			}
			for path, want := range map[string]any{"version.number": c.number, "tagline": c.tagline, "version.distribution": c.distribution,
				"version.build_flavor": c.flavor, "version.minimum_wire_compatibility_version": c.minWire} {
				if got := dig(r.body, path); got != want {
					t.Errorf("%s = %v, want %v", path, got, want)
				}
			}
		})
	}
}

// Elasticsearch 8 answers a compatible-with=7 request in kind, with _type;
// 7.17 always writes _type, OpenSearch never; OpenSearch does not take the
// media type at all.
func TestDialect_CompatibleWithAndDocType(t *testing.T) {
	for _, c := range []struct {
		engine      esemulator.Engine
		compat      bool
		contentType string
		docType     bool
		status      int
	}{
		{esemulator.Elasticsearch8, false, "application/json", false, 200},
		{esemulator.Elasticsearch8, true, "application/vnd.elasticsearch+json;compatible-with=7", true, 200},
		{esemulator.Elasticsearch717, true, "application/json; charset=UTF-8", true, 200},
		{esemulator.OpenSearch2, false, "application/json; charset=UTF-8", false, 200},
		{esemulator.OpenSearch2, true, "", false, 406},
	} {
		t.Run(string(c.engine), func(t *testing.T) {
			srv := startEngine(t, c.engine)
			if err := srv.PutDocument("docs", "1", map[string]any{"a": 1}); err != nil {
				t.Fatal(err)
			}
			req, _ := http.NewRequest(http.MethodPut, srv.URL+"/docs/_doc/2", strings.NewReader(`{"a":2}`))
			req.Header.Set("Content-Type", "application/json")
			if c.compat {
				req.Header.Set("Content-Type", "application/vnd.elasticsearch+json;compatible-with=7")
				req.Header.Set("Accept", "application/vnd.elasticsearch+json;compatible-with=7")
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			_ = res.Body.Close()
			if res.StatusCode != c.status && (c.status != 200 || res.StatusCode != 201) {
				t.Fatalf("status %d, want %d", res.StatusCode, c.status)
			}
			if c.status != 200 {
				return
			}
			if got := res.Header.Get("Content-Type"); got != c.contentType {
				t.Errorf("Content-Type %q, want %q", got, c.contentType)
			}
			req, _ = http.NewRequest(http.MethodGet, srv.URL+"/docs/_doc/1", nil)
			req.Header = http.Header{"Accept": req.Header.Values("Accept")}
			if c.compat {
				req.Header.Set("Accept", "application/vnd.elasticsearch+json;compatible-with=7")
			}
			res, err = http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer func() { _ = res.Body.Close() }()
			var b strings.Builder
			_, _ = io.Copy(&b, res.Body)
			if has := strings.Contains(b.String(), `"_type":"_doc"`); has != c.docType {
				t.Errorf("_type in %s: %v, want %v", b.String(), has, c.docType)
			}
		})
	}
	srv := startEngine(t, esemulator.Elasticsearch8)
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/", nil)
	req.Header.Set("Accept", "application/vnd.elasticsearch+json;compatible-with=6")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = res.Body.Close()
	if res.StatusCode != 400 {
		t.Errorf("compatible-with=6 on Elasticsearch 8: %d, want 400", res.StatusCode)
	}
}

// The get snapshots answer: OpenSearch writes neither total/remaining nor
// repository nor feature_states, but remote_store_index_shallow_copy; and
// refuses the parameters it does not have.
func TestDialect_GetSnapshots(t *testing.T) {
	for _, engine := range esemulator.Engines() {
		t.Run(string(engine), func(t *testing.T) {
			srv := startEngine(t, engine)
			srv.RegisterRepository("r", "fs", map[string]any{"location": "r"})
			if err := srv.CreateIndex("i"); err != nil {
				t.Fatal(err)
			}
			wantStatus(t, call(t, "PUT", srv.URL+"/_snapshot/r/s?wait_for_completion=true", `{"indices":"i"}`), 200)
			r := call(t, "GET", srv.URL+"/_snapshot/r/s", "")
			wantStatus(t, r, 200)
			os := engine == esemulator.OpenSearch2
			if (dig(r.body, "total") == nil) != os || (dig(r.body, "snapshots.0.repository") == nil) != os ||
				(dig(r.body, "snapshots.0.feature_states") == nil) != os || (dig(r.body, "snapshots.0.remote_store_index_shallow_copy") == nil) == os {
				t.Errorf("get snapshots of %s: %s", engine, r.raw)
			}
			r = call(t, "GET", srv.URL+"/_snapshot/r/s?include_repository=false", "")
			if os {
				wantError(t, r, 400, "illegal_argument_exception", "request [/_snapshot/r/s] contains unrecognized parameter: [include_repository]")
			} else {
				wantStatus(t, r, 200)
			}
		})
	}
}

// OpenSearch's security plugin: a plain-text 401, and no API keys.
func TestDialect_OpenSearchSecurity(t *testing.T) {
	srv, err := esemulator.Start(esemulator.Config{Engine: esemulator.OpenSearch2, Username: "admin", Password: "pw", APIKey: "a2V5"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	for _, auth := range []string{"", "ApiKey a2V5", "Basic YWRtaW46bm8="} {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/", nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		_ = res.Body.Close()
		if res.StatusCode != 401 || string(b) != "Unauthorized" || res.Header.Get("WWW-Authenticate") != `Basic realm="OpenSearch Security"` {
			t.Errorf("%q: %d %q %v", auth, res.StatusCode, b, res.Header)
		}
	}
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/", nil)
	req.SetBasicAuth("admin", "pw")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = res.Body.Close()
	if res.StatusCode != 200 {
		t.Errorf("admin:pw: %d", res.StatusCode)
	}
}

// A snapshot's version_id and version, a taken name's error type, and the
// parameters get snapshots takes, per engine (see dialect.go for the source
// of each).
func TestDialect_SnapshotFacts(t *testing.T) {
	for _, c := range []struct {
		engine        esemulator.Engine
		versionID     float64
		version       string
		nameInUse     string
		refusedParams []string
	}{
		{esemulator.Elasticsearch717, 7171899, "7.17.18", "invalid_snapshot_name_exception", []string{"index_names", "state"}},
		// 8.x: IndexVersion 8521000 ("8.17.0,8521000" in IndexVersions.csv);
		// no state (9.1) and no timeout or local on get snapshots.
		{esemulator.Elasticsearch8, 8521000, "8.17.0", "snapshot_name_already_in_use_exception", []string{"state", "timeout", "local"}},
		{esemulator.OpenSearch2, 136407927, "2.19.1", "invalid_snapshot_name_exception", []string{"index_details", "sort", "timeout", "local"}},
	} {
		t.Run(string(c.engine), func(t *testing.T) {
			srv := startEngine(t, c.engine)
			srv.RegisterRepository("r", "fs", map[string]any{"location": "r"})
			if err := srv.CreateIndex("i"); err != nil {
				t.Fatal(err)
			}
			wantStatus(t, call(t, "PUT", srv.URL+"/_snapshot/r/s?wait_for_completion=true", `{"indices":"i"}`), 200)
			r := call(t, "GET", srv.URL+"/_snapshot/r/s", "")
			if dig(r.body, "snapshots.0.version_id") != c.versionID || dig(r.body, "snapshots.0.version") != c.version {
				t.Errorf("version_id/version: %s", r.raw)
			}
			r = call(t, "GET", srv.URL+"/i", "")
			if got := dig(r.body, "i.settings.index.version.created"); got != strconv.Itoa(int(c.versionID)) {
				t.Errorf("index.version.created %v, want %d", got, int(c.versionID))
			}
			// DataTier (x-pack core, Elasticsearch 7.10+) sets
			// _tier_preference on every new index; OpenSearch has no x-pack.
			if got := dig(r.body, "i.settings.index.routing.allocation.include._tier_preference"); (got == "data_content") != (c.engine != esemulator.OpenSearch2) {
				t.Errorf("_tier_preference %v", got)
			}
			r = call(t, "PUT", srv.URL+"/_snapshot/r/s?wait_for_completion=true", `{"indices":"i"}`)
			wantError(t, r, 400, c.nameInUse, "[r:s] Invalid snapshot name [s], snapshot with the same name already exists")
			for _, p := range c.refusedParams {
				r = call(t, "GET", srv.URL+"/_snapshot/r/s?"+p+"=true", "")
				wantError(t, r, 400, "illegal_argument_exception", "request [/_snapshot/r/s] contains unrecognized parameter: ["+p+"]")
			}
		})
	}
}

// SnapshotInfo writes the end time of a running snapshot as the epoch
// (verbose, endTime 0), in every engine.
func TestDialect_RunningSnapshotEndTime(t *testing.T) {
	for _, engine := range esemulator.Engines() {
		t.Run(string(engine), func(t *testing.T) {
			srv := startEngine(t, engine)
			srv.RegisterRepository("r", "fs", map[string]any{"location": "r"})
			if err := srv.CreateIndex("i"); err != nil {
				t.Fatal(err)
			}
			srv.PauseSnapshots("s")
			t.Cleanup(srv.ResumeSnapshots)
			wantStatus(t, call(t, "PUT", srv.URL+"/_snapshot/r/s", `{"indices":"i"}`), 200)
			r := call(t, "GET", srv.URL+"/_snapshot/r/s", "")
			if dig(r.body, "snapshots.0.state") != "IN_PROGRESS" || dig(r.body, "snapshots.0.end_time") != "1970-01-01T00:00:00.000Z" ||
				dig(r.body, "snapshots.0.end_time_in_millis") != float64(0) || dig(r.body, "snapshots.0.duration_in_millis") != float64(0) {
				t.Errorf("running snapshot: %s", r.raw)
			}
		})
	}
}

// RestCompatibleVersionHelper of 8.x, each of its checks, as a
// media_type_header_exception on both headers.
func TestDialect_Elasticsearch8CompatibleVersionChecks(t *testing.T) {
	srv := startEngine(t, esemulator.Elasticsearch8)
	const (
		v7 = "application/vnd.elasticsearch+json;compatible-with=7"
		v8 = "application/vnd.elasticsearch+json;compatible-with=8"
		v9 = "application/vnd.elasticsearch+json; compatible-with=9"
	)
	for _, c := range []struct {
		name, method, accept, ctype, body string
		status                            int
		cause, contentType                string
	}{
		{"accept 9", "GET", v9, "", "", 400,
			"Accept version must be either version 8 or 7, but found 9. Accept=" + v9, ""},
		{"content-type 9", "PUT", v8, v9, `{}`, 400,
			"Content-Type version must be either version 8 or 7, but found 9. Content-Type=" + v9, ""},
		{"versions differ", "PUT", v8, v7, `{}`, 400,
			"A compatible version is required on both Content-Type and Accept headers if either one has requested a compatible version and the compatible versions must match. Accept=" + v8 + ", Content-Type=" + v7, ""},
		{"only content-type 7, no accept", "PUT", "", v7, `{}`, 400,
			"A compatible version is required on both Content-Type and Accept headers if either one has requested a compatible version and the compatible versions must match. Accept=null, Content-Type=" + v7, ""},
		{"only content-type 8", "PUT", "application/json", v8, `{}`, 400,
			"A compatible version is required on both Content-Type and Accept headers if either one has requested a compatible version. Accept=application/json, Content-Type=" + v8, ""},
		{"content-type 9 without a body is not read", "GET", v7, v9, "", 200, "", v7},
		{"both 7", "PUT", v7, v7, `{}`, 200, "", v7},
		{"plain", "PUT", "", "application/json", `{}`, 200, "", "application/json"},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := "/"
			if c.method == "PUT" {
				path = "/idx-" + strings.NewReplacer(" ", "-", ",", "").Replace(c.name)
			}
			var body io.Reader
			if c.body != "" {
				body = strings.NewReader(c.body)
			}
			req, _ := http.NewRequest(c.method, srv.URL+path, body)
			if c.accept != "" {
				req.Header.Set("Accept", c.accept)
			}
			if c.ctype != "" {
				req.Header.Set("Content-Type", c.ctype)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(res.Body)
			_ = res.Body.Close()
			if res.StatusCode != c.status {
				t.Fatalf("%d, want %d: %s", res.StatusCode, c.status, b)
			}
			if c.status != 200 {
				r := response{status: res.StatusCode, raw: string(b)}
				_ = json.Unmarshal(b, &r.body)
				wantError(t, r, 400, "media_type_header_exception", "Invalid media-type value on headers [Accept, Content-Type]")
				if got := dig(r.body, "error.caused_by.reason"); got != c.cause || dig(r.body, "error.caused_by.type") != "status_exception" {
					t.Errorf("caused_by\n got %v\nwant %s", got, c.cause)
				}
				c.contentType = "application/json"
			}
			if got := res.Header.Get("Content-Type"); got != c.contentType {
				t.Errorf("Content-Type %q, want %q", got, c.contentType)
			}
			if res.Header.Get("X-Elastic-Product") != "Elasticsearch" {
				t.Error("no X-Elastic-Product")
			}
		})
	}
}

// Accept media ranges: Elasticsearch's ParsedMediaType.parseMediaType takes a
// value with a comma for a media range and treats it as no Accept at all
// (ParsedMediaTypeTests.testIgnoredMediaTypes), so the Accept the JavaScript
// client 8.x sends on a GET is taken, and the version in a range is not
// read; what the parser refuses (a malformed type, parameters with spaces
// around "=", two Accept headers) is a media_type_header_exception on that
// one header, caused by an illegal_argument_exception. OpenSearch reads no
// Accept.
func TestDialect_AcceptMediaRanges(t *testing.T) {
	const (
		jsClient = "application/vnd.elasticsearch+json; compatible-with=8,text/plain"
		v8       = "application/vnd.elasticsearch+json; compatible-with=8"
	)
	refusal := func(headers, cause, reason string) string {
		return `{"error":{"root_cause":[{"type":"media_type_header_exception","reason":"Invalid media-type value on headers [` + headers +
			`]"}],"type":"media_type_header_exception","reason":"Invalid media-type value on headers [` + headers +
			`]","caused_by":{"type":"` + cause + `","reason":"` + reason + `"}},"status":400}`
	}
	for _, c := range []struct {
		name        string
		engine      esemulator.Engine
		method      string
		accept      []string
		ctype, body string
		status      int
		contentType string
		want        string // the whole answer of a refusal
	}{
		{"es8 js client GET", esemulator.Elasticsearch8, "GET", []string{jsClient}, "", "", 200, "application/json", ""},
		{"es8 version in a range is not read", esemulator.Elasticsearch8, "GET",
			[]string{"application/vnd.elasticsearch+json; compatible-with=9,text/plain"}, "", "", 200, "application/json", ""},
		{"es8 browser accept", esemulator.Elasticsearch8, "GET",
			[]string{"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}, "", "", 200, "application/json", ""},
		{"es8 */*", esemulator.Elasticsearch8, "GET", []string{"*/*"}, "", "", 200, "application/json", ""},
		{"es8 js client GET stays versioned", esemulator.Elasticsearch8, "GET", []string{v8}, "", "", 200,
			"application/vnd.elasticsearch+json;compatible-with=8", ""},
		// A range counts as no Accept: a versioned body then lacks its
		// versioned Accept (RestCompatibleVersionHelper), written "null".
		{"es8 range and a versioned body", esemulator.Elasticsearch8, "PUT", []string{jsClient}, v8, `{}`, 400, "application/json",
			refusal("Accept, Content-Type", "status_exception", "A compatible version is required on both Content-Type and Accept headers if either one has requested a compatible version. Accept=null, Content-Type="+v8)},
		{"es8 version 9 on any type", esemulator.Elasticsearch8, "GET", []string{"application/json; compatible-with=9"}, "", "", 400, "application/json",
			refusal("Accept, Content-Type", "status_exception", "Accept version must be either version 8 or 7, but found 9. Accept=application/json; compatible-with=9")},
		{"es8 malformed type", esemulator.Elasticsearch8, "GET", []string{"json"}, "", "", 400, "application/json",
			refusal("Accept", "illegal_argument_exception", "invalid media-type [json]")},
		{"es8 spaces around =", esemulator.Elasticsearch8, "GET", []string{"application/vnd.elasticsearch+json; compatible-with = 8"}, "", "", 400, "application/json",
			refusal("Accept", "illegal_argument_exception", "invalid parameters for header [application/vnd.elasticsearch+json; compatible-with = 8]")},
		{"es8 two accept headers", esemulator.Elasticsearch8, "GET", []string{"application/json", "text/plain"}, "", "", 400, "application/json",
			refusal("Accept", "illegal_argument_exception", "Incorrect header [Accept]. Only one value should be provided")},
		{"es8 malformed content-type comes before the 406", esemulator.Elasticsearch8, "PUT", nil, "application/json; charset", `{}`, 400, "application/json",
			refusal("Content-Type", "illegal_argument_exception", "invalid parameters for header [application/json; charset]")},
		{"es717 range", esemulator.Elasticsearch717, "GET", []string{"application/vnd.elasticsearch+json; compatible-with=7,text/plain"}, "", "", 200,
			"application/json; charset=UTF-8", ""},
		{"es717 malformed type", esemulator.Elasticsearch717, "GET", []string{"json"}, "", "", 400, "application/json; charset=UTF-8",
			refusal("Accept", "illegal_argument_exception", "invalid media-type [json]")},
		{"os2 range", esemulator.OpenSearch2, "GET", []string{jsClient}, "", "", 200, "application/json; charset=UTF-8", ""},
		{"os2 reads no accept", esemulator.OpenSearch2, "GET", []string{"json"}, "", "", 200, "application/json; charset=UTF-8", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv := startEngine(t, c.engine)
			path := "/"
			var body io.Reader
			if c.body != "" {
				path, body = "/idx", strings.NewReader(c.body)
			}
			req, _ := http.NewRequest(c.method, srv.URL+path, body)
			for _, a := range c.accept {
				req.Header.Add("Accept", a)
			}
			if c.ctype != "" {
				req.Header.Set("Content-Type", c.ctype)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(res.Body)
			_ = res.Body.Close()
			if res.StatusCode != c.status {
				t.Fatalf("%d, want %d: %s", res.StatusCode, c.status, b)
			}
			if c.want != "" && string(b) != c.want {
				t.Errorf("answer\n got %s\nwant %s", b, c.want)
			}
			if got := res.Header.Get("Content-Type"); got != c.contentType {
				t.Errorf("Content-Type %q, want %q", got, c.contentType)
			}
		})
	}
}
