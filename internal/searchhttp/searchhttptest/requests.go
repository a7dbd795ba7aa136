// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package searchhttptest

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
	"github.com/optimize-tf/terraform-provider-optimize/internal/searchhttp"
)

// A configuration that cannot work is refused when the client is built,
// without showing a secret.
func newClientRefusesABadConfiguration(t *testing.T, a Adapter) {
	for name, tc := range map[string]struct {
		cfg  searchhttp.Config
		want string
	}{
		"no endpoint": {searchhttp.Config{}, "no Elasticsearch endpoint is configured"},
		"no scheme":   {searchhttp.Config{Endpoints: []string{"es:9200"}}, "must start with http:// or https://"},
		"two methods": {searchhttp.Config{Endpoints: []string{"http://es"}, Username: "u", Password: "p-secret", BearerToken: "t-secret"}, "more than one authentication method"},
		"bad ca":      {searchhttp.Config{Endpoints: []string{"http://es"}, CACert: []byte("not pem")}, "holds no PEM-encoded certificate"},
	} {
		t.Run(name, func(t *testing.T) {
			c, err := a.New(tc.cfg)
			if err == nil || c != nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("New = %v, %v; want %q", c, err, tc.want)
			}
			if strings.Contains(err.Error(), "secret") {
				t.Fatalf("the error shows a secret: %v", err)
			}
		})
	}
}

// An API key and AWS Signature Version 4 are taken by the adapters whose
// engine takes them, and refused by the others when the client is built,
// with a message that says what to do instead (and never shows the key).
func newClientTakesWhatTheEngineTakes(t *testing.T, a Adapter) {
	for _, tc := range []struct {
		name  string
		cfg   searchhttp.Config
		takes bool
		want  string
	}{
		{"api key", searchhttp.Config{Endpoints: []string{"http://es:9200"}, APIKey: "a2V5LXNlY3JldA=="}, a.APIKeys,
			"OpenSearch has no API keys (its security plugin takes basic authentication or a bearer token): use username and password or bearer_token instead of api_key"},
		{"aws", searchhttp.Config{Endpoints: []string{"https://es"}, AWS: Signer{}}, a.AWS,
			"AWS Signature Version 4 (elasticsearch.aws) is for Amazon OpenSearch Service's OpenSearch domains; this cluster is Elasticsearch: remove the aws block, or point elasticsearch.endpoints at an OpenSearch domain"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := a.New(tc.cfg)
			if tc.takes {
				if err != nil || c == nil {
					t.Fatalf("New = %v, %v", c, err)
				}
				return
			}
			if err == nil || c != nil || err.Error() != tc.want {
				t.Fatalf("New = %v, %v; want %q", c, err, tc.want)
			}
		})
	}
}

// exactAnswers answers every request of requestsSentAreExact as the engine
// would, recording it first.
func (a Adapter) exactAnswers(rec *recorder) http.Handler {
	return a.handler(func(w http.ResponseWriter, r *http.Request) {
		rec.record(r)
		switch {
		case r.Method == http.MethodGet && r.URL.EscapedPath() == "/_snapshot/back%2575ps":
			_, _ = w.Write([]byte(`{"back%75ps":{"type":"fs","settings":{"location":"/x"}}}`))
		case r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/_cat/indices/"):
			_, _ = w.Write([]byte(`[]`))
		case r.Method == http.MethodGet && strings.Contains(r.URL.Path, "/_doc/"):
			_, _ = w.Write([]byte(`{"_index":"optimize-metadata_v3","_id":"a+b","_version":1,"_seq_no":0,"_primary_term":1,"found":true,"_source":{}}`))
		case r.Method == http.MethodGet:
			_, _ = w.Write([]byte(`{"snapshots":[]}`))
		case r.Method == http.MethodPost:
			_, _ = w.Write([]byte(`{"snapshot":{"snapshot":"s","indices":["optimize-import-index_v3"],"shards":{"total":1,"failed":0,"successful":1}}}`))
		case r.Method == http.MethodPut:
			_, _ = w.Write([]byte(`{"accepted":true}`))
		default:
			_, _ = w.Write([]byte(`{"acknowledged":true}`))
		}
	})
}

// exactRequests is what requestsSentAreExact sends, in order.
var exactRequests = []string{
	`GET /_snapshot/back%2575ps? `,
	`GET /_cat/indices/optimize-*?format=json&h=index `,
	`GET /optimize-metadata/_doc/a%2Bb%2Fc? `,
	`PUT /_snapshot/back%2575ps/camunda_optimize_1_3.9.0_part_1_of_2?wait_for_completion=false {"ignore_unavailable":false,"include_global_state":false,"indices":["optimize-import-index_v3"],"metadata":{"version":"3.9.0"},"partial":false}`,
	`PUT /_snapshot/back%2575ps/camunda_optimize_1_3.9.0_part_2_of_2?wait_for_completion=true {"ignore_unavailable":false,"include_global_state":false,"indices":["optimize-a_v1","optimize-b_v2"],"metadata":null,"partial":false}`,
	`GET /_snapshot/back%2575ps/camunda_optimize_1_*?ignore_unavailable=true `,
	`DELETE /_snapshot/back%2575ps/camunda_optimize_1_3.9.0_part_1_of_2,camunda_optimize_1_3.9.0_part_2_of_2? `,
	`POST /_snapshot/back%2575ps/camunda_optimize_1_3.9.0_part_1_of_2/_restore?wait_for_completion=true {"ignore_unavailable":false,"include_aliases":true,"include_global_state":false,"indices":["optimize-import-index_v3"],"partial":false}`,
	`DELETE /optimize-import-index_v3,optimize-metadata_v3? `,
}

// Every Cluster method sends exactly one request of this form: names
// escaped by searchhttp.PathSegment (a "%" or "+" reaches the engine as
// written), the parameters and bodies the domain relies on, JSON bodies
// declared as such, and the configured headers and credentials. What would
// delete or restore more than named is refused before any request.
func requestsSentAreExact(t *testing.T, a Adapter) {
	rec := &recorder{}
	c, _ := a.client(t, a.exactAnswers(rec), func(cfg *searchhttp.Config) {
		cfg.Username, cfg.Password = "admin", "pw-secret"
		cfg.Headers = map[string]string{"X-Opaque-Id": "terraform"}
		cfg.UserAgent = "terraform-provider-optimize/test"
	})
	callEveryMethod(t, c)
	refuseWhatIsNotExact(t, a, c)
	if strings.Join(rec.got, "\n") != strings.Join(exactRequests, "\n") {
		t.Fatalf("requests:\n%s\nwant:\n%s", strings.Join(rec.got, "\n"), strings.Join(exactRequests, "\n"))
	}
	for i, h := range rec.headers {
		if h.Get("Authorization") != "Basic YWRtaW46cHctc2VjcmV0" || h.Get("X-Opaque-Id") != "terraform" ||
			h.Get("User-Agent") != "terraform-provider-optimize/test" {
			t.Errorf("request %d (%s) headers: %v", i, rec.got[i], h)
		}
		hasBody := !strings.HasSuffix(rec.got[i], " ")
		if ct := h.Get("Content-Type"); hasBody && ct != "application/json" {
			t.Errorf("request %d (%s): Content-Type %q", i, rec.got[i], ct)
		}
	}
}

const repo, part1, part2 = "back%75ps", "camunda_optimize_1_3.9.0_part_1_of_2", "camunda_optimize_1_3.9.0_part_2_of_2"

// callEveryMethod sends exactRequests.
func callEveryMethod(t *testing.T, c optimize.Cluster) {
	t.Helper()
	ctx := context.Background()
	if err := c.CheckRepository(ctx, repo); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Indices(ctx, "optimize-*"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Document(ctx, "optimize-metadata", "a+b/c"); err != nil {
		t.Fatal(err)
	}
	meta := map[string]any{"version": "3.9.0"}
	if _, err := c.CreateSnapshot(ctx, repo, part1, optimize.SnapshotRequest{Indices: []string{"optimize-import-index_v3"}, Metadata: meta}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateSnapshot(ctx, repo, part2, optimize.SnapshotRequest{Indices: []string{"optimize-a_v1", "optimize-b_v2"}, Wait: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Snapshots(ctx, repo, "camunda_optimize_1_*"); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteSnapshots(ctx, repo, []string{part1, part2}); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteSnapshots(ctx, repo, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := c.RestoreSnapshot(ctx, repo, part1, []string{"optimize-import-index_v3"}); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteIndices(ctx, []string{"optimize-import-index_v3", "optimize-metadata_v3"}); err != nil {
		t.Fatal(err)
	}
}

// refuseWhatIsNotExact checks that an empty index list, a pattern, a list,
// _all or an exclusion is refused before any request.
func refuseWhatIsNotExact(t *testing.T, a Adapter, c optimize.Cluster) {
	t.Helper()
	ctx := context.Background()
	if _, err := c.CreateSnapshot(ctx, repo, "x", optimize.SnapshotRequest{}); err == nil || !strings.Contains(err.Error(), a.Product+" would snapshot every index") {
		t.Fatalf("a snapshot without indices must be refused: %v", err)
	}
	if _, err := c.RestoreSnapshot(ctx, repo, "x", nil); err == nil || !strings.Contains(err.Error(), a.Product+" would restore every index") {
		t.Fatalf("a restore without indices must be refused: %v", err)
	}
	for _, bad := range []string{"camunda_optimize_1_*", "_all", "a,b", "", "-x"} {
		if err := c.DeleteSnapshots(ctx, repo, []string{part1, bad}); err == nil {
			t.Fatalf("deleting snapshot %q must be refused", bad)
		}
	}
	for _, bad := range []string{"optimize-*", "_all", "a,b", "", "-x", "a?"} {
		if err := c.DeleteIndices(ctx, []string{"optimize-metadata_v3", bad}); err == nil {
			t.Fatalf("deleting index %q must be refused", bad)
		}
	}
}

// A long list of indices is deleted in several requests, each within the
// default 4 KB request line, and every index exactly once, in order.
func deleteIndicesSplitsLongLists(t *testing.T, a Adapter) {
	var paths []string
	c, _ := a.client(t, a.handler(func(w http.ResponseWriter, r *http.Request) {
		paths = append(paths, r.URL.Path)
		_, _ = w.Write([]byte(`{"acknowledged":true}`))
	}))
	var names []string
	for i := range 300 {
		names = append(names, fmt.Sprintf("optimize-process-instance-definition-number-%03d_v8", i))
	}
	if err := c.DeleteIndices(context.Background(), names); err != nil {
		t.Fatal(err)
	}
	if len(paths) < 2 {
		t.Fatalf("%d requests for 300 indices", len(paths))
	}
	var deleted []string
	for _, p := range paths {
		if len("DELETE "+p+" HTTP/1.1") > 4096 {
			t.Fatalf("request line of %d bytes", len(p))
		}
		deleted = append(deleted, strings.Split(strings.TrimPrefix(p, "/"), ",")...)
	}
	if strings.Join(deleted, ",") != strings.Join(names, ",") {
		t.Fatalf("deleted %d indices, want the %d named, in order", len(deleted), len(names))
	}
}
