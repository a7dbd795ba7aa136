// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package process

import "runtime/debug"

// GCPercent is the garbage collector's target the plugin runs with when
// GOGC is not set: collect when the heap has grown by twice what was live
// after the last collection, not once (Go's default, 100).
//
// A refresh reads each resource in a request of its own that allocates
// about 100 KB of short-lived values (gRPC and msgpack decoding, the
// framework's passes over the state, the Elasticsearch answer) over a live
// heap of a few megabytes, so the collector ran every few dozen reads and
// took a fifth of the plugin's CPU. Measured on a 1,000-backup refresh
// (docs/guides/performance.md): the plugin's CPU 17 % lower at 200, for a
// peak memory about 18 MiB higher; 400 saved a little more CPU for twice
// that memory.
const GCPercent = 200

// TuneGC sets the garbage collector's target to GCPercent unless GOGC is
// set, in which case Go's runtime already follows the user's choice. It
// reports whether it changed the target. main calls it before serving.
func TuneGC(lookupEnv func(string) (string, bool)) bool {
	if v, ok := lookupEnv("GOGC"); ok && v != "" {
		return false
	}
	debug.SetGCPercent(GCPercent)
	return true
}
