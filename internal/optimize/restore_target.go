// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package optimize

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// A restore into another installation (RestoreRequest.TargetIndexPrefix):
// backup X of the installation with IndexPrefix (the source) is restored as
// the installation with the target prefix, refreshing staging from
// production. The backup's indices "<source>-<rest>" come back as
// "<target>-<rest>" (rename_pattern, rename_replacement), without the
// snapshot's aliases (they are the source's: restoring them would add the
// copies to the source installation's aliases), and then every alias
// Optimize gives those indices is created for the target in one request
// (TargetAliases). The metadata index comes back as it is, document
// included. The target's indices are the ones checked and deleted
// (DeleteExistingIndices); the source installation is never written to.

// TargetCluster is what a restore into another installation needs of the
// engine beside Cluster.
type TargetCluster interface {
	Cluster
	// RestoreRenamedAs restores exactly indices of a snapshot, each renamed
	// by renamePattern and replacement (the engine's regular expression
	// rule), without aliases and global state, with the index settings as
	// snapshotted, and returns once they are restored.
	RestoreRenamedAs(ctx context.Context, repository, name string, indices []string, renamePattern, replacement string) (RestoreSnapshotResult, error)
	// AddAliases adds every alias in one request (all or none).
	AddAliases(ctx context.Context, aliases []AliasAdd) error
}

// AliasAdd is one alias to add to an index.
type AliasAdd struct {
	Index, Alias string
	WriteIndex   bool // is_write_index
}

// Rename is an index of the backup and the name it is restored as.
type Rename struct{ From, To string }

// renameRule is the engine's rename_pattern and rename_replacement (a Java
// regular expression and replacement) that turn "<source>-<rest>" into
// "<target>-<rest>".
func renameRule(source, target string) (pattern, replacement string) {
	return "^" + regexp.QuoteMeta(source+"-") + "(.+)$", target + "-$1"
}

// renamed is index under the target prefix.
func renamed(source, target, index string) string {
	return target + "-" + strings.TrimPrefix(index, source+"-")
}

// Optimize's multi aliases: read-only aliases over every per-definition
// instance index (camunda/camunda optimize/ DatabaseConstants
// PROCESS_INSTANCE_MULTI_ALIAS = "process-instance",
// DECISION_INSTANCE_MULTI_ALIAS = "decision-instance").
var multiAliases = []struct{ family, alias string }{
	// ProcessInstanceWriter and the archive task:
	// createMissingIndices(PROCESS_INSTANCE_INDEX | PROCESS_INSTANCE_ARCHIVE_INDEX, Set.of(PROCESS_INSTANCE_MULTI_ALIAS), keys)
	{"process-instance-", "process-instance"},
	// DecisionInstanceWriter: createOrUpdateOptimizeIndex(.., new DecisionInstanceIndex(key), singleton(DECISION_INSTANCE_MULTI_ALIAS))
	{"decision-instance-", "decision-instance"},
}

// TargetAliases are the aliases Optimize gives indices of the installation
// with index prefix prefix, by Optimize's rule (camunda/camunda optimize/
// OptimizeIndexNameService.getOptimizeIndexAliasForIndex and
// ElasticSearchSchemaManager.createOrUpdateOptimizeIndex):
//
//   - index "<prefix>-<name>_v<N>" has the alias "<prefix>-<name>" with
//     is_write_index true (createOptimizeIndexFromRequest:
//     Alias(defaultAliasName).writeIndex(true));
//   - rollover index "<prefix>-<name>_v<N>-<generation>" has it too
//     (createOptimizeIndexWithWriteAliasFromTemplate: writeIndex(true)),
//     and a rollover moves is_write_index to the new generation: the
//     highest generation is the write index, the older ones are not;
//   - per-definition instance indices also have their family's read-only
//     multi alias (writeIndex(false)).
//
// Sorted by index, then alias. Indices that are no Optimize index name are
// given none.
func TargetAliases(prefix string, indices []string) []AliasAdd {
	newest := map[string]string{} // alias -> its rollover index of the highest generation
	var out []AliasAdd
	for _, index := range indices {
		m := optimizeIndexName.FindStringSubmatch(strings.TrimPrefix(index, prefix+"-"))
		if m == nil || !strings.HasPrefix(index, prefix+"-") {
			continue
		}
		alias := prefix + "-" + m[1]
		if m[2] != "" && index > newest[alias] {
			newest[alias] = index
		}
		out = append(out, AliasAdd{Index: index, Alias: alias, WriteIndex: m[2] == ""})
		for _, multi := range multiAliases {
			if strings.HasPrefix(m[1], multi.family) {
				out = append(out, AliasAdd{Index: index, Alias: prefix + "-" + multi.alias})
			}
		}
	}
	for i, a := range out {
		if newest[a.Alias] == a.Index {
			out[i].WriteIndex = true
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Index != out[j].Index {
			return out[i].Index < out[j].Index
		}
		return out[i].Alias < out[j].Alias
	})
	return out
}

// normalizeTarget treats a target prefix equal to the installation's as a
// normal restore.
func (req *RestoreRequest) normalizeTarget() {
	if req.TargetIndexPrefix == req.IndexPrefix {
		req.TargetIndexPrefix = ""
	}
}

// checkTargetPrefix refuses a target prefix that overlaps the source's
// installation: one under the other's "<prefix>-" would make the two
// installations' indices indistinguishable.
func checkTargetPrefix(req RestoreRequest) error {
	source, target := req.IndexPrefix, req.TargetIndexPrefix
	if strings.HasPrefix(target, source+"-") || strings.HasPrefix(source, target+"-") {
		return refuseRestore(req.ID, "the target index prefix is apart from the source installation's",
			"target_index_prefix %q and the installation's index prefix %q overlap (one is under the other's %q): the two installations' indices could not be told apart; choose a target prefix that neither extends %q nor is extended by it",
			target, source, shorter(source, target)+"-", source)
	}
	if strings.ContainsAny(target, `$\`) {
		return refuseRestore(req.ID, "the target index prefix is a plain name",
			"target_index_prefix %q holds '$' or '\\', which the engine's rename_replacement would read as a group reference or an escape", target)
	}
	return nil
}

func shorter(a, b string) string {
	if len(a) < len(b) {
		return a
	}
	return b
}

// checkTargetRestore is checkRestore for a restore into another
// installation: the backup (1) and the version of the target's Optimize
// (2) as for any restore; the target's indices (3), and no other
// installation under or around the target prefix; then each part's indices
// of the source installation, renamed, and the aliases they get, clash with
// nothing that stays (4).
func (s *Service) checkTargetRestore(ctx context.Context, req RestoreRequest) (restorePlan, RestoreResult, error) {
	var result RestoreResult
	if err := checkTargetPrefix(req); err != nil {
		return restorePlan{}, result, err
	}
	if _, ok := s.Cluster.(TargetCluster); !ok {
		return restorePlan{}, result, refuseRestore(req.ID, "the engine can restore into another installation", "this cluster's adapter cannot restore renamed indices and add aliases")
	}
	backup, err := s.checkRestorable(ctx, req, &result)
	if err != nil {
		return restorePlan{}, result, err
	}
	targetReq := req
	targetReq.IndexPrefix = req.TargetIndexPrefix
	version, err := s.checkRestoreVersion(ctx, targetReq, backup)
	result.Version = version
	if err != nil {
		return restorePlan{}, result, err
	}
	present, existing, _, err := s.checkExistingIndices(ctx, targetReq, version)
	if err != nil {
		return restorePlan{}, result, err
	}
	if others := NeighbourPrefixes(req.TargetIndexPrefix, present); len(others) > 0 {
		return restorePlan{}, result, refuseRestore(req.ID, "no other installation overlaps the target index prefix",
			"the installations with index prefix %s are under or around target_index_prefix %q (their metadata index exists): their indices and the target's could not be told apart; choose another target prefix",
			strings.Join(quoteAll(others), ", "), req.TargetIndexPrefix)
	}
	plan, err := s.checkTargetParts(ctx, req, version, backup, present, existing, &result)
	if err != nil {
		return restorePlan{}, result, err
	}
	req.Progress(fmt.Sprintf("checks passed: backup %s of the installation with index prefix %q can be restored as the installation with index prefix %q",
		req.ID, req.IndexPrefix, req.TargetIndexPrefix))
	return plan, result, nil
}

func quoteAll(list []string) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}

// checkTargetParts is check 4 of a restore into another installation: the
// source installation's indices of each part (selected as a restore onto
// the source selects them), renamed under the target prefix, and their
// aliases; none of the names may be an index that stays.
func (s *Service) checkTargetParts(ctx context.Context, req RestoreRequest, version string, backup Backup, present, existing []string, result *RestoreResult) (restorePlan, error) {
	sourcePresent, err := s.Cluster.Indices(ctx, IndexPattern(req.IndexPrefix))
	if err != nil {
		return restorePlan{}, fmt.Errorf("listing the indices of index prefix %q: %w", req.IndexPrefix, err)
	}
	neighbours, err := s.neighbours(ctx, req.IndexPrefix, sourcePresent)
	if err != nil {
		return restorePlan{}, err
	}
	sourceReq := req
	sourceReq.TargetIndexPrefix = ""
	parts, err := checkParts(sourceReq, version, backup, sourcePresent, sourcePresent, neighbours, result)
	if err != nil {
		return restorePlan{}, err
	}
	sort.Strings(result.Skipped)
	stays := map[string]bool{}
	for _, index := range present {
		stays[index] = !containsString(existing, index)
	}
	var renames []Rename
	var clashes, targets []string
	for _, part := range parts {
		for _, index := range part {
			to := renamed(req.IndexPrefix, req.TargetIndexPrefix, index)
			renames = append(renames, Rename{From: index, To: to})
			targets = append(targets, to)
			if stays[to] {
				clashes = append(clashes, to)
			}
			if strings.HasPrefix(strings.TrimPrefix(index, req.IndexPrefix+"-"), "event-process-instance-") {
				return restorePlan{}, refuseRestore(req.ID, "every alias of the backup's indices can be recreated",
					"index %s is an event-based process's instance index: Optimize gives it a read alias named after the process's key, which only its publish state says, so its aliases cannot be recreated under another prefix; restore this backup onto its own installation", index)
			}
		}
	}
	aliases := TargetAliases(req.TargetIndexPrefix, targets)
	for _, a := range aliases {
		if stays[a.Alias] && !containsString(clashes, a.Alias) {
			clashes = append(clashes, a.Alias)
		}
	}
	if len(clashes) > 0 {
		sort.Strings(clashes)
		return restorePlan{}, refuseRestore(req.ID, "the backup's indices can be restored under the target prefix",
			"indices exist under target_index_prefix %q that are not the target installation's, so they are never deleted, and whose names the restored indices or their aliases would take: %s; delete or rename them yourself",
			req.TargetIndexPrefix, strings.Join(clashes, ", "))
	}
	return restorePlan{backup: backup, existing: existing, parts: parts, target: req.TargetIndexPrefix, renames: renames, aliases: aliases}, nil
}

// addTargetAliases creates the target's aliases once both parts are
// restored: one request, all or none.
func (s *Service) addTargetAliases(ctx context.Context, req RestoreRequest, plan restorePlan) error {
	if err := s.Cluster.(TargetCluster).AddAliases(ctx, plan.aliases); err != nil {
		return fmt.Errorf("the indices are restored under %q, but creating their %d aliases (POST /_aliases) failed: %w", plan.target, len(plan.aliases), err)
	}
	req.Progress(fmt.Sprintf("created %d aliases of the installation with index prefix %q", len(plan.aliases), plan.target))
	return nil
}
