// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package elasticsearch

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestRestoreRequestsSentAreExact(t *testing.T) {
	var got []string
	c := newTestClient(t, esHandler(func(w http.ResponseWriter, r *http.Request) {
		buf := new(bytes.Buffer)
		_, _ = buf.ReadFrom(r.Body)
		got = append(got, r.Method+" "+r.URL.Path+"?"+r.URL.RawQuery+" "+buf.String())
		if r.Method == http.MethodPost {
			_, _ = w.Write([]byte(`{"snapshot":{"snapshot":"s","indices":["optimize-import-index_v3"],"shards":{"total":1,"failed":0,"successful":1}}}`))
			return
		}
		_, _ = w.Write([]byte(`{"acknowledged":true}`))
	}))
	ctx := context.Background()
	res, err := c.RestoreSnapshot(ctx, "backups", "camunda_optimize_1_3.9.0_part_1_of_2", []string{"optimize-import-index_v3"})
	if err != nil {
		t.Fatal(err)
	}
	if res.ShardsSuccessful != 1 || res.ShardsTotal != 1 || len(res.Indices) != 1 {
		t.Fatalf("result = %+v", res)
	}
	if _, err := c.RestoreSnapshot(ctx, "backups", "x", nil); err == nil {
		t.Fatal("a restore without indices must be refused: Elasticsearch would restore every index of the snapshot")
	}
	if err := c.DeleteIndices(ctx, []string{"optimize-import-index_v3", "optimize-metadata_v3"}); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"optimize-*", "_all", "a,b", "", "-x", "a?"} {
		if err := c.DeleteIndices(ctx, []string{"optimize-metadata_v3", bad}); err == nil {
			t.Fatalf("deleting %q must be refused", bad)
		}
	}
	want := []string{
		`POST /_snapshot/backups/camunda_optimize_1_3.9.0_part_1_of_2/_restore?wait_for_completion=true {"ignore_unavailable":false,"include_aliases":true,"include_global_state":false,"indices":["optimize-import-index_v3"],"partial":false}`,
		`DELETE /optimize-import-index_v3,optimize-metadata_v3? `,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("requests:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// A long list of indices is deleted in several requests, each within
// Elasticsearch's default 4 KB request line, and every index exactly once.
func TestDeleteIndicesSplitsLongLists(t *testing.T) {
	var paths []string
	c := newTestClient(t, esHandler(func(w http.ResponseWriter, r *http.Request) {
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
