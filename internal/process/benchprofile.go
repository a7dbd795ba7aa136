// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

//go:build benchprofile

package process

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
)

// benchProfileEnv names a directory for make bench (internal/bench) only,
// in a provider built with -tags benchprofile (as make bench builds it; a
// release build has no such hook: benchprofile_off.go):
// when set, the provider writes a CPU profile of its whole life
// (cpu-<pid>.pprof) and, at exit, its peak resident memory in KiB
// (maxrss-<pid>) there. Terraform starts the provider several times per
// command, so the directory gets one pair per start.
const benchProfileEnv = "OPTIMIZE_BENCH_PROFILE_DIR"

// StartBenchProfile starts what benchProfileEnv asks for and returns the
// function that finishes it.
func StartBenchProfile() func() {
	dir := os.Getenv(benchProfileEnv)
	if dir == "" {
		return func() {}
	}
	pid := os.Getpid()
	f, err := os.Create(filepath.Join(dir, fmt.Sprintf("cpu-%d.pprof", pid))) //nolint:gosec // a directory the benchmark chose
	if err == nil && pprof.StartCPUProfile(f) != nil {
		_ = f.Close()
		f = nil
	}
	return func() {
		if f != nil {
			pprof.StopCPUProfile()
			_ = f.Close()
		}
		if kib, ok := maxRSSKiB(); ok {
			_ = os.WriteFile(filepath.Join(dir, fmt.Sprintf("maxrss-%d", pid)), []byte(fmt.Sprint(kib)), 0o600) //nolint:gosec // a directory the benchmark chose
		}
	}
}
