// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package esemulator_test

import (
	"reflect"
	"testing"

	"github.com/optimize-tf/terraform-provider-optimize/internal/esemulator"
)

// POST /_aliases adds every alias of its actions at once, with
// is_write_index as given, and answers {"acknowledged":true}.
func TestUpdateAliasesAddsWithWriteIndex(t *testing.T) {
	srv := start(t, esemulator.Config{})
	for _, n := range []string{"staging-report_v3", "staging-event_v4-000001"} {
		if err := srv.CreateIndex(n); err != nil {
			t.Fatal(err)
		}
	}
	r := call(t, "POST", srv.URL+"/_aliases", `{"actions":[`+
		`{"add":{"index":"staging-report_v3","alias":"staging-report","is_write_index":true}},`+
		`{"add":{"index":"staging-event_v4-000001","alias":"staging-event","is_write_index":true}},`+
		`{"add":{"indices":["staging-report_v3","staging-event_v4-000001"],"aliases":["staging-all"],"is_write_index":false}},`+
		`{"add":{"index":"staging-report_v3","alias":"staging-plain"}}]}`)
	wantStatus(t, r, 200)
	if dig(r.body, "acknowledged") != true {
		t.Fatalf("answer %s", r.raw)
	}
	want := map[string]string{"staging-report": "true", "staging-all": "false", "staging-plain": "-"}
	if got := srv.WriteIndexFlags("staging-report_v3"); !reflect.DeepEqual(got, want) {
		t.Fatalf("aliases of staging-report_v3: %v, want %v", got, want)
	}
	// GET _alias shows is_write_index only where it was given.
	g := call(t, "GET", srv.URL+"/_alias/staging-*", "")
	wantStatus(t, g, 200)
	if dig(g.body, "staging-report_v3.aliases.staging-report.is_write_index") != true ||
		dig(g.body, "staging-report_v3.aliases.staging-all.is_write_index") != false ||
		!reflect.DeepEqual(dig(g.body, "staging-report_v3.aliases.staging-plain"), map[string]any{}) {
		t.Fatalf("GET _alias: %s", g.raw)
	}
	// Documents written through a write alias go to its write index.
	wantStatus(t, call(t, "PUT", srv.URL+"/staging-all/_doc/1", `{"a":1}`), 400)
	wantStatus(t, call(t, "PUT", srv.URL+"/staging-report/_doc/1", `{"a":1}`), 201)
}

// Every action is checked before any applies: one failing action changes
// nothing. The errors are the engines'.
func TestUpdateAliasesRefusesAsTheEnginesDo(t *testing.T) {
	srv := start(t, esemulator.Config{})
	for _, n := range []string{"a_v1", "b_v1"} {
		if err := srv.CreateIndex(n); err != nil {
			t.Fatal(err)
		}
	}
	u := srv.URL + "/_aliases"
	r := call(t, "POST", u, `{"actions":[{"add":{"index":"a_v1","alias":"x"}},{"add":{"index":"missing_v1","alias":"y"}}]}`)
	wantError(t, r, 404, "index_not_found_exception", "no such index [missing_v1]")
	if a := srv.Aliases("a_v1"); len(a) != 0 {
		t.Fatalf("a failed request added %v", a)
	}
	r = call(t, "POST", u, `{"actions":[{"add":{"index":"a_v1","alias":"b_v1"}}]}`)
	wantError(t, r, 400, "invalid_alias_name_exception", "Invalid alias name [b_v1], an index or data stream exists with the same name as the alias")
	r = call(t, "POST", u, `{"actions":[{"add":{"index":"a_v1","alias":"w","is_write_index":true}},{"add":{"index":"b_v1","alias":"w","is_write_index":true}}]}`)
	wantError(t, r, 500, "illegal_state_exception", "alias [w] has more than one write index [a_v1,b_v1]")
	r = call(t, "POST", u, `{"actions":[]}`)
	wantError(t, r, 400, "action_request_validation_exception", "Validation Failed: 1: Must specify at least one alias action;")
	r = call(t, "POST", u, `{"actions":[{"add":{"index":"a_v1"}}]}`)
	wantError(t, r, 400, "illegal_argument_exception", "One of [alias] or [aliases] is required")
	r = call(t, "POST", u, `{"actions":[{"add":{"index":"a_v1","alias":"x","write":true}}]}`)
	wantStatus(t, r, 400)
	if dig(r.body, "error.type") != "x_content_parse_exception" || dig(r.body, "error.caused_by.caused_by.reason") != "[1:48] [add] unknown field [write]" {
		t.Fatalf("unknown field: %s", r.raw)
	}
	r = call(t, "POST", u, `{"actions":[{"add":{"index":"a_v1","alias":"x"}}],"extra":1}`)
	wantStatus(t, r, 400)
	if dig(r.body, "error.reason") != "[1:51] [aliases] unknown field [extra]" {
		t.Fatalf("unknown top-level field: %s", r.raw)
	}
	wantStatus(t, call(t, "PUT", u, `{"actions":[{"add":{"index":"a_v1","alias":"x"}}]}`), 405)
	if a := srv.Aliases("a_v1"); len(a) != 0 || len(srv.Aliases("b_v1")) != 0 {
		t.Fatalf("refused requests changed aliases: %v %v", a, srv.Aliases("b_v1"))
	}
	// remove takes an alias away again.
	wantStatus(t, call(t, "POST", u, `{"actions":[{"add":{"index":"a_v1","alias":"x"}}]}`), 200)
	wantStatus(t, call(t, "POST", u, `{"actions":[{"remove":{"index":"a_v1","alias":"x"}}]}`), 200)
	if a := srv.Aliases("a_v1"); len(a) != 0 {
		t.Fatalf("after remove: %v", a)
	}
}

// Optimize's seeded installation carries Optimize's aliases: the
// unversioned alias as write alias, and the instance indices' read-only
// multi alias.
func TestSeededOptimizeAliases(t *testing.T) {
	srv := start(t, esemulator.Config{})
	got := srv.WriteIndexFlags("optimize-process-instance-invoice_v8")
	want := map[string]string{"optimize-process-instance-invoice": "true", "optimize-process-instance": "false"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("aliases %v, want %v", got, want)
	}
}

// A restore whose aliases would give an alias a second write index is
// refused as the cluster state's builder refuses it.
func TestRestoreRefusesASecondWriteIndex(t *testing.T) {
	srv := start(t, esemulator.Config{})
	wantStatus(t, call(t, "PUT", srv.URL+"/_snapshot/backups/s?wait_for_completion=true", `{"indices":"optimize-metadata_v3"}`), 200)
	r := call(t, "POST", srv.URL+"/_snapshot/backups/s/_restore?wait_for_completion=true",
		`{"indices":["optimize-metadata_v3"],"rename_pattern":"optimize-(.+)","rename_replacement":"copy-$1","include_aliases":true}`)
	wantError(t, r, 500, "illegal_state_exception", "alias [optimize-metadata] has more than one write index [copy-metadata_v3,optimize-metadata_v3]")
	if got := srv.Aliases("copy-metadata_v3"); got != nil {
		t.Fatalf("the refused restore created copy-metadata_v3 with %v", got)
	}
}
