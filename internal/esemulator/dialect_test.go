// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package esemulator_test

import (
	"io"
	"net/http"
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
