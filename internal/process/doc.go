// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

// Package process tunes the provider's process, as main (and the floor
// providers make bench measures against) start it: the garbage collector's
// target, loggers that are off when Terraform discards what they write, and
// make bench's profiling hook (only in builds with -tags benchprofile). None
// of it is Terraform's or the backup domain's.
package process
