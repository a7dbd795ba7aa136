// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package searchhttp

import (
	"encoding/json"
	"testing"
)

// Elasticsearch 8's high max_headroom as DiskThresholdSettings applies it:
// the transient value, else the persistent, else the default of 150GB only
// while no low, high or flood-stage watermark is set (then "-1").
func TestHighMaxHeadroom(t *testing.T) {
	const gib = int64(1) << 30
	for _, tc := range []struct {
		name     string
		settings string
		want     int64
	}{
		{"Elasticsearch 8's default", `{"persistent":{},"transient":{},"defaults":{"cluster.routing.allocation.disk.watermark.high":"90%","cluster.routing.allocation.disk.watermark.high.max_headroom":"150GB"}}`, 150 * gib},
		{"Elasticsearch 7 or OpenSearch: none", `{"persistent":{},"transient":{},"defaults":{"cluster.routing.allocation.disk.watermark.high":"90%"}}`, -1},
		{"the high watermark set: no default headroom", `{"persistent":{"cluster.routing.allocation.disk.watermark.high":"92%"},"transient":{},"defaults":{"cluster.routing.allocation.disk.watermark.high.max_headroom":"150GB"}}`, -1},
		{"the flood stage set: no default headroom", `{"persistent":{},"transient":{"cluster.routing.allocation.disk.watermark.flood_stage":"97%"},"defaults":{"cluster.routing.allocation.disk.watermark.high.max_headroom":"150GB"}}`, -1},
		{"a headroom set with the watermark", `{"persistent":{"cluster.routing.allocation.disk.watermark.high":"92%","cluster.routing.allocation.disk.watermark.high.max_headroom":"100gb"},"transient":{},"defaults":{}}`, 100 * gib},
		{"transient over persistent", `{"persistent":{"cluster.routing.allocation.disk.watermark.high.max_headroom":"100gb"},"transient":{"cluster.routing.allocation.disk.watermark.high.max_headroom":"50gb"},"defaults":{}}`, 50 * gib},
		{"switched off", `{"persistent":{"cluster.routing.allocation.disk.watermark.high.max_headroom":"-1"},"transient":{},"defaults":{}}`, -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var settings map[string]map[string]json.RawMessage
			if err := json.Unmarshal([]byte(tc.settings), &settings); err != nil {
				t.Fatal(err)
			}
			got, err := highMaxHeadroom(settings)
			if err != nil || got != tc.want {
				t.Fatalf("highMaxHeadroom = %d, %v; want %d", got, err, tc.want)
			}
		})
	}
	var bad map[string]map[string]json.RawMessage
	_ = json.Unmarshal([]byte(`{"persistent":{"cluster.routing.allocation.disk.watermark.high.max_headroom":"lots"}}`), &bad)
	if _, err := highMaxHeadroom(bad); err == nil {
		t.Error("an unreadable headroom: no error")
	}
}
