// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

// Package optimize is the Camunda Optimize backup domain: backup ids, snapshot
// names, which indices go into which part, how a backup's state is aggregated
// from its snapshots, and a Service that creates, reads, lists and deletes
// backups over a small Cluster interface. The whole Camunda 8 backup (every
// component's snapshot families, their verdict, the documented order) is
// package platform's.
//
// It follows the contract in optimize-backup-spec.md (Optimize 3.9's backup
// API and SnapshotUtil) and knows nothing of Terraform or HTTP.
package optimize
