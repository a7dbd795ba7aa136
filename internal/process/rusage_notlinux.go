// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

//go:build !linux && benchprofile

package process

func maxRSSKiB() (int64, bool) { return 0, false }
