// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

// Package platform is the whole Camunda 8 backup: backup X of every
// component, taken in the order Camunda documents for the version, with
// Zeebe's exporting soft-paused for as short as that order allows and
// always resumed. The order is data (Order: version -> steps), walked by one
// runner (Run) whose resume is on a path that always runs: on success, on
// any failure, on timeout and on cancellation (Ctrl-C).
//
// It also judges a whole backup: the snapshot families its components leave
// in the search engine (Families, ParseSnapshotName), read with one listing
// per repository (ReadFamilies) and evaluated (EvaluateFamilies), and Zeebe's
// backup of the id (WithZeebe), into one Verdict. Optimize's own backup, its
// names and its state rule stay package optimize's, which this package reads
// through.
//
// It knows nothing of Terraform and nothing of HTTP: the steps are carried
// out by an Executor (the Camunda adapter for the components' APIs, the
// optimize Service for Optimize's two snapshots and the records snapshot).
package platform
