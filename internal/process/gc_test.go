// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package process

import (
	"runtime/debug"
	"testing"
)

// TuneGC sets GCPercent when GOGC is unset or empty, and leaves the
// runtime's target alone when the user set GOGC.
func TestTuneGC(t *testing.T) {
	original := debug.SetGCPercent(100)
	t.Cleanup(func() { debug.SetGCPercent(original) })
	for name, tc := range map[string]struct {
		env     map[string]string
		changed bool
		want    int
	}{
		"GOGC unset":      {env: map[string]string{}, changed: true, want: GCPercent},
		"GOGC empty":      {env: map[string]string{"GOGC": ""}, changed: true, want: GCPercent},
		"GOGC set":        {env: map[string]string{"GOGC": "50"}, changed: false, want: 100},
		"GOGC set to off": {env: map[string]string{"GOGC": "off"}, changed: false, want: 100},
	} {
		t.Run(name, func(t *testing.T) {
			debug.SetGCPercent(100)
			changed := TuneGC(func(k string) (string, bool) { v, ok := tc.env[k]; return v, ok })
			got := debug.SetGCPercent(100)
			if changed != tc.changed || got != tc.want {
				t.Fatalf("TuneGC = %v with the target at %d, want %v and %d", changed, got, tc.changed, tc.want)
			}
		})
	}
}
