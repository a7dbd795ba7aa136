// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

//go:build linux && benchprofile

package process

import "syscall"

// maxRSSKiB is the process's peak resident memory (Linux reports KiB).
func maxRSSKiB() (int64, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return ru.Maxrss, true
}
