// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

//go:build !unix

package bench

import "time"

// processCPU is not measured on this platform.
func processCPU() (time.Duration, bool) { return 0, false }
