// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

//go:build !benchprofile

package main

// startBenchProfile does nothing in a provider built without -tags
// benchprofile, as releases are: make bench's profiling hook
// (bench_profile.go) is not in them.
func startBenchProfile() func() { return func() {} }
