// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package optimize

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Delete removes exactly the backup's own snapshots, by their full names.
// Elasticsearch answers a delete once the snapshots are gone (aborting a
// running one first), so one listing and one delete suffice; the listing is
// repeated only when someone else removed a snapshot meanwhile. A backup
// that is already gone is not an error.
func (s *Service) Delete(ctx context.Context, repository string, id BackupID) error {
	return s.DeleteOwned(ctx, repository, id, Owner{})
}

// DeleteOwned is Delete of the snapshots the owner owns: a create's destroy
// never touches what another writer took, an imported backup's destroy never
// another version's backup of the same id. A snapshot whose name is too long
// for a DELETE request line of its own (an id that Optimize took, imported)
// cannot be deleted by any request that names it: then nothing is deleted,
// and the error (*DeleteLineTooLongError) says how to delete it by hand.
func (s *Service) DeleteOwned(ctx context.Context, repository string, id BackupID, owner Owner) error {
	for {
		snaps, err := s.snapshotsOf(ctx, repository, id)
		snaps = owned(snaps, owner)
		if err != nil || len(snaps) == 0 {
			return err
		}
		names := Backup{Snapshots: snaps}.SnapshotNames()
		if err := s.checkDeleteLines(ctx, repository, id, names); err != nil {
			return err
		}
		err = s.deleteSnapshots(ctx, repository, names)
		switch {
		case err == nil:
			return nil
		case errors.Is(err, ErrSnapshotMissing):
			// One of them went meanwhile: list again and delete the rest.
		case errors.Is(err, ErrRepositoryMissing):
			return s.repositoryError(repository, err)
		default:
			return fmt.Errorf("deleting backup %q (snapshots %s): %w", id, strings.Join(names, ", "), err)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
}

// deleteSnapshots deletes the snapshots in one request, or one per request
// when their names joined would not fit Elasticsearch's request line (an id
// that Optimize took and the provider would have refused to take).
func (s *Service) deleteSnapshots(ctx context.Context, repository string, names []string) error {
	if JoinedDeleteFits(repository, names) {
		return s.Cluster.DeleteSnapshots(ctx, repository, names)
	}
	for _, name := range names {
		if err := s.Cluster.DeleteSnapshots(ctx, repository, []string{name}); err != nil {
			return err
		}
	}
	return nil
}

// checkDeleteLines makes sure that each of the backup's snapshots can be
// deleted by a request of its own; when one cannot, it finds, among the
// repository's camunda_optimize_* snapshots, the wildcard pattern that a
// person could delete exactly the backup's snapshots with.
func (s *Service) checkDeleteLines(ctx context.Context, repository string, id BackupID, names []string) error {
	var tooLong []string
	for _, name := range names {
		if DeleteRequestLineLength(repository, []string{name}) > MaxRequestLineBytes {
			tooLong = append(tooLong, name)
		}
	}
	if len(tooLong) == 0 {
		return nil
	}
	all, err := s.Cluster.Snapshots(ctx, repository, snapshotPrefix+"*")
	if err != nil {
		return fmt.Errorf("deleting backup %q: listing the repository's snapshots: %w", id, err)
	}
	others := make([]string, 0, len(all))
	for _, snap := range all {
		if !containsString(names, snap.Name) {
			others = append(others, snap.Name)
		}
	}
	pattern, also := DeletePattern(repository, names, others)
	return &DeleteLineTooLongError{ID: id, Repository: repository, Snapshots: names, TooLong: tooLong, Pattern: pattern, AlsoMatched: also}
}

// DeletePattern is the most specific wildcard pattern ("<prefix>*") that
// matches every one of names and whose DELETE request line fits: the longest
// prefix the names share, cut to fit. It returns the pattern and, when the
// pattern also matches one of others (the repository's other snapshots), the
// first it matches: then no pattern that fits matches only names, since a
// shorter prefix matches more.
func DeletePattern(repository string, names, others []string) (pattern, alsoMatches string) {
	if len(names) == 0 {
		return "", ""
	}
	prefix := names[0]
	for _, n := range names[1:] {
		i := 0
		for i < len(prefix) && i < len(n) && prefix[i] == n[i] {
			i++
		}
		prefix = prefix[:i]
	}
	for DeleteRequestLineLength(repository, []string{prefix + "*"}) > MaxRequestLineBytes {
		_, size := utf8.DecodeLastRuneInString(prefix)
		prefix = prefix[:len(prefix)-size]
	}
	for !utf8.ValidString(prefix) { // the names' common bytes may end inside a character
		prefix = prefix[:len(prefix)-1]
	}
	if !strings.HasPrefix(prefix, snapshotPrefix) {
		// Shorter than camunda_optimize_ (a very long repository name):
		// others, the camunda_optimize_* snapshots, are not all it matches.
		return "", ""
	}
	for _, o := range others {
		if strings.HasPrefix(o, prefix) {
			return prefix + "*", o
		}
	}
	return prefix + "*", ""
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// DeleteLineTooLongError: a snapshot of the backup cannot be deleted by a
// request that names it, as its DELETE request line, even alone, is over the
// engine's limit, which refuses such a line before reading it. Nothing of the
// backup was deleted.
type DeleteLineTooLongError struct {
	ID          BackupID
	Repository  string
	Snapshots   []string // the backup's own snapshots, all of which must go
	TooLong     []string // those whose DELETE cannot be sent
	Pattern     string   // the most specific wildcard pattern whose DELETE fits (DeletePattern)
	AlsoMatched string   // a snapshot that is not the backup's which Pattern matches too, if any
}

func (e *DeleteLineTooLongError) Error() string {
	var b strings.Builder
	repo := PathEscape(e.Repository)
	fmt.Fprintf(&b, "backup %q cannot be deleted by the provider, and nothing of it was deleted: even alone, the request that deletes snapshot %s would be a %d-byte request line, "+
		"over the engine's %d-byte limit (http.max_initial_line_length), which refuses such a line before reading it, so no request that names the snapshot can be sent",
		abbreviate(string(e.ID)), abbreviate(e.TooLong[0]), DeleteRequestLineLength(e.Repository, e.TooLong[:1]), MaxRequestLineBytes)
	b.WriteString(".\n\nTo get out, delete the backup's snapshots by hand.\n\n")
	switch {
	case e.Pattern != "" && e.AlsoMatched == "":
		pattern := PathEscape(strings.TrimSuffix(e.Pattern, "*")) + "*"
		fmt.Fprintf(&b, "A wildcard pattern matches the backup's %d snapshots and no other snapshot of the repository now. Check that it still lists exactly them:\n\n  GET /_snapshot/%s/%s\n\n"+
			"then delete them:\n\n  DELETE /_snapshot/%s/%s\n\n"+
			"A wildcard deletes whatever has such a name when the DELETE arrives: send it only right after a GET that listed the backup's snapshots and nothing else.",
			len(e.Snapshots), repo, pattern, repo, pattern)
	case e.Pattern != "":
		fmt.Fprintf(&b, "No wildcard pattern short enough matches only the backup's snapshots: the most specific one, %s, also matches snapshot %s, which is not the backup's: never delete by that pattern.",
			abbreviate(e.Pattern), abbreviate(e.AlsoMatched))
	default:
		b.WriteString("No wildcard pattern short enough for the request line matches only the backup's snapshots.")
	}
	if e.Pattern != "" && e.AlsoMatched == "" {
		b.WriteString(" If the GET lists any other snapshot, the backup's")
	} else {
		b.WriteString(" The backup's")
	}
	b.WriteString(" snapshots can only be deleted by their full names over a longer request line: raise http.max_initial_line_length in the configuration of every node " +
		"(elasticsearch.yml or opensearch.yml; a static setting, so each node restarts; a managed service may not offer it), then send")
	for _, n := range e.Snapshots {
		fmt.Fprintf(&b, "\n\n  DELETE /_snapshot/%s/%s", repo, PathEscape(n))
	}
	return b.String()
}
