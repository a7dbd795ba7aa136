// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

//go:build !benchprofile

package process

// StartBenchProfile does nothing in a provider built without -tags
// benchprofile, as releases are: make bench's profiling hook
// (benchprofile.go) is not in them.
func StartBenchProfile() func() { return func() {} }
