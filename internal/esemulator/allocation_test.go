// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package esemulator_test

import (
	"encoding/json"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/optimize-tf/terraform-provider-optimize/internal/esemulator"
)

// What a restore drill reads of disk space: GET _cat/allocation, GET
// _cluster/settings?include_defaults, and the disk control.

// catRows decodes a cat API's JSON answer.
func catRows(t *testing.T, r response) []map[string]any {
	t.Helper()
	wantStatus(t, r, 200)
	var rows []map[string]any
	if err := json.Unmarshal([]byte(r.raw), &rows); err != nil {
		t.Fatalf("%v: %s", err, r.raw)
	}
	return rows
}

func keysOf(t *testing.T, raw string) []string {
	t.Helper()
	d := json.NewDecoder(strings.NewReader(strings.TrimPrefix(raw, "[")))
	var keys []string
	if _, err := d.Token(); err != nil { // {
		t.Fatal(err)
	}
	for d.More() {
		k, _ := d.Token()
		keys = append(keys, k.(string))
		var v any
		_ = d.Decode(&v)
	}
	return keys
}

func TestCatAllocationColumnsPerEngine(t *testing.T) {
	base := []string{"disk.indices", "disk.used", "disk.avail", "disk.total", "disk.percent", "host", "ip", "node"}
	cases := []struct {
		engine esemulator.Engine
		want   []string
	}{
		{esemulator.Elasticsearch717, append([]string{"shards"}, base...)},
		{esemulator.Elasticsearch8, append(append([]string{"shards", "shards.undesired", "write_load.forecast", "disk.indices.forecast"}, base...), "node.role")},
		{esemulator.OpenSearch2, append([]string{"shards"}, base...)},
	}
	for _, c := range cases {
		t.Run(string(c.engine), func(t *testing.T) {
			srv := start(t, esemulator.Config{Engine: c.engine})
			r := call(t, "GET", srv.URL+"/_cat/allocation?format=json&bytes=b", "")
			rows := catRows(t, r)
			if len(rows) != 1 {
				t.Fatalf("rows %s", r.raw)
			}
			if got := keysOf(t, r.raw); !reflect.DeepEqual(got, c.want) {
				t.Errorf("columns\n got %v\nwant %v", got, c.want)
			}
			row := rows[0]
			if row["disk.total"] != "107374182400" || row["disk.avail"] != "64424509440" || row["disk.used"] != "42949672960" || row["disk.percent"] != "40" {
				t.Errorf("disk %s", r.raw)
			}
			if row["node"] != "esemulator-0" || row["host"] != "127.0.0.1" || row["ip"] != "127.0.0.1" {
				t.Errorf("node %s", r.raw)
			}
			// disk.indices is the sum of _cat/indices store.size.
			var sum int64
			indices := catRows(t, call(t, "GET", srv.URL+"/_cat/indices?format=json", ""))
			for _, ix := range indices {
				n, _ := strconv.ParseInt(strings.TrimSuffix(ix["store.size"].(string), "b"), 10, 64)
				sum += n
			}
			if row["disk.indices"] != strconv.FormatInt(sum, 10) || row["shards"] != strconv.Itoa(len(indices)) {
				t.Errorf("disk.indices %v shards %v, want %d and %d", row["disk.indices"], row["shards"], sum, len(indices))
			}
			if c.engine == esemulator.Elasticsearch8 && (row["node.role"] != "cdfhilmrstw" || row["write_load.forecast"] != "0.0" ||
				row["shards.undesired"] != "0" || row["disk.indices.forecast"] != row["disk.indices"]) {
				t.Errorf("8.x columns %s", r.raw)
			}
		})
	}
}

func TestCatAllocationHumanBytesAndText(t *testing.T) {
	srv := start(t, esemulator.Config{})
	wantStatus(t, call(t, "PUT", srv.URL+"/_emulator/disk", `{"total_bytes":107374182400,"available_bytes":42949672960}`), 200)
	row := catRows(t, call(t, "GET", srv.URL+"/_cat/allocation?format=json&h=disk.total,da,du,dp,nonexistent", ""))[0]
	want := map[string]any{"disk.total": "100gb", "da": "40gb", "du": "60gb", "dp": "60"}
	if !reflect.DeepEqual(row, want) {
		t.Errorf("h with aliases: %v, want %v", row, want)
	}
	// ByteSizeValue.toString cuts to one decimal: 1.99 GiB is 1.9gb.
	srv.SetDisk(3<<30, 2<<30-10<<20)
	r := call(t, "GET", srv.URL+"/_cat/allocation?v&h=disk.avail,disk.total,node&bytes=mb", "")
	wantStatus(t, r, 200)
	if want := "disk.avail disk.total node\n      2038       3072 esemulator-0\n"; r.raw != want {
		t.Errorf("text\n got %q\nwant %q", r.raw, want)
	}
	r = call(t, "GET", srv.URL+"/_cat/allocation?h=da", "")
	if r.raw != "1.9gb\n" {
		t.Errorf("human %q", r.raw)
	}
	// The YAML test cat.allocation/10_basic.yml "One index" (7.17).
	r = call(t, "GET", srv.URL+"/_cat/allocation", "")
	if !regexp.MustCompile(`^\s*\d+\s+\d+(\.\d+)?[kmgt]?b\s+\d+(\.\d+)?[kmgt]?b\s+\d+(\.\d+)?[kmgt]b\s+\d+(\.\d+)?[kmgt]b\s+\d+\s+[-\w.]+\s+\d+(\.\d+){3}\s+[-\w.]+\n$`).MatchString(r.raw) {
		t.Errorf("One index: %q", r.raw)
	}
	r = call(t, "GET", srv.URL+"/_cat/allocation?help", "")
	if !strings.HasPrefix(r.raw, "shards       | s              | number of shards on node      \n") || strings.Count(r.raw, "\n") != 9 {
		t.Errorf("help %q", r.raw)
	}
}

func TestCatAllocationNodes(t *testing.T) {
	srv := start(t, esemulator.Config{Engine: esemulator.OpenSearch2})
	for path, rows := range map[string]int{"_master": 1, "_cluster_manager": 1, "esemulator-*": 1, "*": 1, "non_existent": 0, "data:false": 0, "_local,x": 1} {
		if got := catRows(t, call(t, "GET", srv.URL+"/_cat/allocation/"+path+"?format=json", "")); len(got) != rows {
			t.Errorf("%s: %d rows, want %d", path, len(got), rows)
		}
	}
	r := call(t, "GET", srv.URL+"/_cat/allocation/non_existent", "")
	if r.status != 200 || r.raw != "" {
		t.Errorf("no node: %d %q", r.status, r.raw)
	}
}

func TestCatAllocationParameters(t *testing.T) {
	cases := []struct {
		engine   esemulator.Engine
		accepted []string
		refused  string
	}{
		{esemulator.Elasticsearch717, []string{"local", "master_timeout=30s", "s=disk.avail:desc", "ts=false", "time=ms"}, "cluster_manager_timeout"},
		{esemulator.Elasticsearch8, []string{"local=false", "master_timeout=1m", "s=dt"}, "timeout"},
		{esemulator.OpenSearch2, []string{"cluster_manager_timeout=30s", "master_timeout=30s", "timeout=10s", "local"}, "wait_for_completion"},
	}
	for _, c := range cases {
		t.Run(string(c.engine), func(t *testing.T) {
			srv := start(t, esemulator.Config{Engine: c.engine})
			for _, p := range c.accepted {
				wantStatus(t, call(t, "GET", srv.URL+"/_cat/allocation?format=json&"+p, ""), 200)
			}
			r := call(t, "GET", srv.URL+"/_cat/allocation?"+c.refused+"=1s", "")
			wantStatus(t, r, 400)
			wantError(t, r, 400, "illegal_argument_exception", "request [/_cat/allocation] contains unrecognized parameter: ["+c.refused+"]")
			r = call(t, "GET", srv.URL+"/_cat/allocation?format=json&s=nope", "")
			wantError(t, r, 500, "unsupported_operation_exception", "Unable to sort by unknown sort key `nope`")
			r = call(t, "GET", srv.URL+"/_cat/allocation?local=yes", "")
			wantError(t, r, 400, "illegal_argument_exception", "Failed to parse value [yes] as only [true] or [false] are allowed.")
			wantStatus(t, call(t, "POST", srv.URL+"/_cat/allocation", ""), 405)
		})
	}
}

func TestDiskControl(t *testing.T) {
	srv := start(t, esemulator.Config{})
	r := call(t, "GET", srv.URL+"/_emulator/disk", "")
	if r.raw != `{"total_bytes":107374182400,"available_bytes":64424509440,"used_bytes":42949672960}` {
		t.Errorf("default disk %s", r.raw)
	}
	r = call(t, "PUT", srv.URL+"/_emulator/disk", `{"available_bytes":1073741824}`)
	if r.raw != `{"total_bytes":107374182400,"available_bytes":1073741824,"used_bytes":106300440576}` {
		t.Errorf("put %s", r.raw)
	}
	row := catRows(t, call(t, "GET", srv.URL+"/_cat/allocation?format=json&bytes=b&h=disk.avail,disk.percent", ""))[0]
	if row["disk.avail"] != "1073741824" || row["disk.percent"] != "99" {
		t.Errorf("after the control: %v", row)
	}
	for _, bad := range []string{`{"available_bytes":107374182401}`, `{"total_bytes":0}`, `{"available_bytes":-1}`} {
		wantStatus(t, call(t, "PUT", srv.URL+"/_emulator/disk", bad), 400)
	}
	if total, avail := srv.Disk(); total != 107374182400 || avail != 1073741824 {
		t.Errorf("refused controls changed the disk: %d %d", total, avail)
	}
}

func TestClusterGetSettingsDefaults(t *testing.T) {
	disk := "cluster.routing.allocation.disk."
	cases := []struct {
		engine   esemulator.Engine
		headroom bool
		refused  string
	}{
		{esemulator.Elasticsearch717, false, "cluster_manager_timeout"},
		{esemulator.Elasticsearch8, true, "timeout"},
		{esemulator.OpenSearch2, false, "timeout"},
	}
	for _, c := range cases {
		t.Run(string(c.engine), func(t *testing.T) {
			srv := start(t, esemulator.Config{Engine: c.engine})
			r := call(t, "GET", srv.URL+"/_cluster/settings", "")
			if r.raw != `{"persistent":{},"transient":{}}` {
				t.Errorf("without defaults: %s", r.raw)
			}
			r = call(t, "GET", srv.URL+"/_cluster/settings?include_defaults=true&flat_settings=true", "")
			defaults, _ := r.body["defaults"].(map[string]any)
			for k, v := range map[string]string{"threshold_enabled": "true", "watermark.low": "85%", "watermark.high": "90%", "watermark.flood_stage": "95%"} {
				if defaults[disk+k] != v {
					t.Errorf("%s = %v, want %s", k, defaults[disk+k], v)
				}
			}
			if _, ok := defaults[disk+"watermark.low.max_headroom"]; ok != c.headroom {
				t.Errorf("max_headroom present %v, want %v", ok, c.headroom)
			}
			// Nested, as Settings.getAsStructuredMap: "low" beside "low.max_headroom".
			r = call(t, "GET", srv.URL+"/_cluster/settings?include_defaults&filter_path=defaults.cluster.routing.allocation.disk.watermark", "")
			wm, _ := dig(r.body, "defaults.cluster.routing.allocation.disk.watermark").(map[string]any)
			if wm["low"] != "85%" || wm["flood_stage"] != "95%" || (wm["low.max_headroom"] == "200GB") != c.headroom || len(r.body) != 1 {
				t.Errorf("nested and filtered: %s", r.raw)
			}
			wantStatus(t, call(t, "GET", srv.URL+"/_cluster/settings?local&master_timeout=30s&settings_filter=x", ""), 200)
			r = call(t, "GET", srv.URL+"/_cluster/settings?"+c.refused+"=30s", "")
			wantError(t, r, 400, "illegal_argument_exception", "request [/_cluster/settings] contains unrecognized parameter: ["+c.refused+"]")
		})
	}
}

func TestFilterPath(t *testing.T) {
	srv := start(t, esemulator.Config{})
	cases := map[string]string{
		"/_cluster/settings?include_defaults&flat_settings&filter_path=**.watermark.low":           `{}`,
		"/_cluster/settings?include_defaults&flat_settings&filter_path=defaults.*watermark%5C.low": `{"defaults":{"cluster.routing.allocation.disk.watermark.low":"85%"}}`,
		"/_cluster/settings?include_defaults&filter_path=**.low":                                   `{"defaults":{"cluster":{"routing":{"allocation":{"disk":{"watermark":{"low":"85%"}}}}}}}`,
		"/_cluster/settings?filter_path=-transient":                                                `{"persistent":{}}`,
		"/_cluster/settings?filter_path=nothing":                                                   `{}`,
		"/_cat/allocation?format=json&bytes=b&filter_path=disk%5C.avail":                           `[{"disk.avail":"64424509440"}]`,
		"/_cat/allocation?format=json&h=node,ip&filter_path=-ip":                                   `[{"node":"esemulator-0"}]`,
		"/?filter_path=version.number,tagline":                                                     `{"version":{"number":"7.17.18"},"tagline":"You Know, for Search"}`,
	}
	for path, want := range cases {
		if r := call(t, "GET", srv.URL+path, ""); r.raw != want {
			t.Errorf("%s\n got %s\nwant %s", path, r.raw, want)
		}
	}
	// Errors are not filtered.
	r := call(t, "GET", srv.URL+"/_cluster/settings?timeout=1s&filter_path=status", "")
	wantError(t, r, 400, "illegal_argument_exception", "request [/_cluster/settings] contains unrecognized parameter: [timeout]")
}
