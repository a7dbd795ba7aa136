// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package optimize

import "testing"

// The room below the high watermark, as the engines read the setting
// (DiskThresholdSettings: a percentage or ratio of used disk, or an
// absolute free space): per node, available minus what the watermark
// keeps free; a node above it adds nothing.
func TestDiskRoom(t *testing.T) {
	const gib = int64(1) << 30
	node := func(total, avail int64) NodeDisk {
		return NodeDisk{Name: "n", Total: total * gib, Available: avail * gib}
	}
	for _, tc := range []struct {
		watermark string
		nodes     []NodeDisk
		want      int64
	}{
		{"90%", []NodeDisk{node(100, 60)}, 50 * gib},
		{"0.9", []NodeDisk{node(100, 60)}, 50 * gib},
		{"95%", []NodeDisk{node(100, 60), node(200, 20)}, 55*gib + 10*gib},
		{"90%", []NodeDisk{node(100, 5), node(100, 30)}, 20 * gib}, // the first is above it
		{"50gb", []NodeDisk{node(100, 60)}, 10 * gib},
		{"500mb", []NodeDisk{node(1, 1)}, gib - 500<<20},
	} {
		got, err := Disk{Nodes: tc.nodes, HighWatermark: tc.watermark}.Room()
		if err != nil || got != tc.want {
			t.Errorf("%s %v: %d, %v; want %d", tc.watermark, tc.nodes, got, err, tc.want)
		}
	}
	// Elasticsearch 8's max_headroom (150GB by default): a 90% watermark
	// keeps at most 150 GiB free. On a 10 TiB disk with 1 TiB free that is
	// 1024-150 GiB of room, not 1024-10%*10240 = 0; on a 100 GiB disk the
	// 10% (10 GiB) is less than the headroom and stays; an absolute
	// watermark ignores it.
	for _, tc := range []struct {
		watermark string
		headroom  int64
		nodes     []NodeDisk
		want      int64
	}{
		{"90%", 150 * gib, []NodeDisk{node(10240, 1024)}, 874 * gib},
		{"0.9", 150 * gib, []NodeDisk{node(10240, 1024)}, 874 * gib},
		{"90%", 150 * gib, []NodeDisk{node(100, 60)}, 50 * gib},
		{"90%", -1, []NodeDisk{node(10240, 1024)}, 0},
		{"50gb", 150 * gib, []NodeDisk{node(10240, 1024)}, 974 * gib},
	} {
		got, err := Disk{Nodes: tc.nodes, HighWatermark: tc.watermark, HighMaxHeadroom: tc.headroom}.Room()
		if err != nil || got != tc.want {
			t.Errorf("%s headroom %d %v: %d, %v; want %d", tc.watermark, tc.headroom, tc.nodes, got, err, tc.want)
		}
	}
	if _, err := (Disk{Nodes: []NodeDisk{node(1, 1)}, HighWatermark: "lots"}).Room(); err == nil {
		t.Error("an unreadable watermark: no error")
	}
}

// A scratch prefix that would put the copies under the installation's
// prefix, or that no index name may start with, is refused.
func TestValidateDrillPrefix(t *testing.T) {
	for prefix, ok := range map[string]bool{
		"drill-7-": true, "verify-": true, "optimize-drill-": false, "optimize-": false, "": false,
		"Drill-": false, "_drill-": false, "-drill": false, "drill*": false, "dr ill-": false, "opt": true,
	} {
		if err := ValidateDrillPrefix(prefix, "optimize"); (err == nil) != ok {
			t.Errorf("%q: %v, want ok=%v", prefix, err, ok)
		}
	}
	if DrillPrefix("1764633600") != "drill-1764633600-" {
		t.Errorf("DrillPrefix: %q", DrillPrefix("1764633600"))
	}
}
