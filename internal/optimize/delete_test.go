// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package optimize

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// deleteLine is the DELETE request line as the adapters write it, built
// here independently of DeleteRequestLineLength.
func deleteLine(repository string, names ...string) string {
	escaped := make([]string, len(names))
	for i, n := range names {
		escaped[i] = PathEscape(n)
	}
	return "DELETE /_snapshot/" + PathEscape(repository) + "/" + strings.Join(escaped, ",") + " HTTP/1.1"
}

// lineLimitedCluster refuses, as the engines do, a request line over 4096
// bytes before carrying it out.
type lineLimitedCluster struct{ *fakeCluster }

func (c lineLimitedCluster) Snapshots(ctx context.Context, repo, pattern string) ([]Snapshot, error) {
	if line := "GET /_snapshot/" + PathEscape(repo) + "/" + PathEscape(pattern) + "?ignore_unavailable=true HTTP/1.1"; len(line) > MaxRequestLineBytes {
		c.record("refused get (%d bytes)", len(line))
		return nil, fmt.Errorf("too_long_http_line_exception: An HTTP line is larger than 4096 bytes")
	}
	return c.fakeCluster.Snapshots(ctx, repo, pattern)
}

func (c lineLimitedCluster) DeleteSnapshots(ctx context.Context, repo string, names []string) error {
	if line := deleteLine(repo, names...); len(line) > MaxRequestLineBytes {
		c.record("refused delete (%d bytes)", len(line))
		return fmt.Errorf("too_long_http_line_exception: An HTTP line is larger than 4096 bytes")
	}
	return c.fakeCluster.DeleteSnapshots(ctx, repo, names)
}

// The joined DELETE's length counts its commas: names whose line is 4096
// bytes with them fit, one byte more does not, although without the commas
// it would be 4096 bytes.
func TestJoinedDeleteFitsCountsTheCommas(t *testing.T) {
	for _, count := range []int{2, 3} {
		for _, want := range []int{MaxRequestLineBytes, MaxRequestLineBytes + 1} {
			// count names, the last one é-heavy (percent-encoded, 6 bytes
			// each), filled so that the line is want bytes long.
			names := make([]string, count)
			for i := range names[:count-1] {
				names[i] = fmt.Sprintf("camunda_optimize_%c_3.9.0_part_1_of_2", 'a'+i)
			}
			names[count-1] = strings.Repeat("é", 100)
			fill := want - len(deleteLine("backups", names...))
			names[count-1] += strings.Repeat("x", fill)
			line := deleteLine("backups", names...)
			if len(line) != want {
				t.Fatalf("built a %d-byte line, want %d", len(line), want)
			}
			if n := DeleteRequestLineLength("backups", names); n != want {
				t.Errorf("%d names: DeleteRequestLineLength = %d, want %d", count, n, want)
			}
			if got := JoinedDeleteFits("backups", names); got != (want <= MaxRequestLineBytes) {
				t.Errorf("%d names, a %d-byte line (%d without its commas): JoinedDeleteFits = %v", count, want, want-(count-1), got)
			}
		}
	}
}

// A backup that Optimize 3.9 took with a 2,500-character id, imported: its
// two parts cannot be deleted in one request, but each can alone.
func TestDeleteOwnedOfALongIDDeletesOneSnapshotPerRequest(t *testing.T) {
	f := newFakeCluster()
	id := BackupID(strings.Repeat("a", 2500))
	f.put(SnapshotNames(id, "3.9.0")...)
	f.put(SnapshotNames("5", "3.9.0")...)
	f.calls = nil
	if err := (&Service{Cluster: lineLimitedCluster{f}}).DeleteOwned(context.Background(), "backups", id, Owner{Version: "3.9.0"}); err != nil {
		t.Fatal(err)
	}
	if got := f.names(); !reflect.DeepEqual(got, SnapshotNames("5", "3.9.0")) {
		t.Fatalf("left %v, want backup 5 alone", got)
	}
	want := []string{"get " + SnapshotPattern(id), "delete " + SnapshotName(id, "3.9.0", 1), "delete " + SnapshotName(id, "3.9.0", 2)}
	if !reflect.DeepEqual(f.calls, want) {
		t.Fatalf("calls %.200q, want %.200q", f.calls, want)
	}
}

// An id whose pattern is too long for a GET line is read from the listing of
// every camunda_optimize_* snapshot, and only its own snapshots are taken.
func TestDeleteOwnedReadsAnIDTooLongForItsPatternFromTheListing(t *testing.T) {
	f := newFakeCluster()
	repo := "backups-" + strings.Repeat("r", 32)
	f.repos[repo] = true
	id := BackupID(strings.Repeat("a", 3990))
	if ValidateBackupID(string(id)) != nil || DeleteRequestLineLength(repo, []string{SnapshotName(id, "3.9.0", 1)}) > MaxRequestLineBytes || snapshotPatternFits(repo, id) {
		t.Fatal("the id must be one Optimize 3.9 takes, fit a DELETE of one snapshot and not the GET of its pattern")
	}
	f.put(SnapshotNames(id, "3.9.0")...)
	f.put(SnapshotNames(id+"b", "3.9.0")...)
	f.calls = nil
	if err := (&Service{Cluster: lineLimitedCluster{f}}).DeleteOwned(context.Background(), repo, id, Owner{Version: "3.9.0"}); err != nil {
		t.Fatal(err)
	}
	if got := f.names(); !reflect.DeepEqual(got, SnapshotNames(id+"b", "3.9.0")) {
		t.Fatalf("left %.100q, want the other backup's", got)
	}
	if f.calls[0] != "get camunda_optimize_*" {
		t.Fatalf("first call %.100q, want the listing", f.calls[0])
	}
}

// When even one snapshot's DELETE cannot fit, nothing is deleted, and the
// error says how to get out: the wildcard pattern that matches only the
// backup's snapshots (checked with a GET first), or, when it would match
// another's, never that pattern; the full-name requests over a raised line
// limit; and terraform state rm.
func TestDeleteOwnedThatCannotFitSaysHowToGetOut(t *testing.T) {
	id := BackupID(strings.Repeat("é", 700)) // 4,200 bytes percent-encoded
	names := SnapshotNames(id, "3.9.0")
	pattern := DeleteRequestLineLength("backups", []string{"x*"}) // the line without the prefix
	prefixBytes := MaxRequestLineBytes - pattern + 1              // the prefix's escaped length, "x" aside
	escapedPrefix := PathEscape(names[0])[:len("camunda_optimize_")+(prefixBytes-len("camunda_optimize_"))/6*6]
	wantLine := "DELETE /_snapshot/backups/" + escapedPrefix + "*"

	t.Run("a pattern matches only the backup's snapshots", func(t *testing.T) {
		f := newFakeCluster()
		f.put(names...)
		f.put(SnapshotNames("5", "3.9.0")...)
		before := f.names()
		err := (&Service{Cluster: lineLimitedCluster{f}}).DeleteOwned(context.Background(), "backups", id, Owner{Version: "3.9.0"})
		var tooLong *DeleteLineTooLongError
		if !errors.As(err, &tooLong) {
			t.Fatalf("err = %v, want a DeleteLineTooLongError", err)
		}
		if got := f.names(); !reflect.DeepEqual(got, before) {
			t.Fatalf("snapshots %v -> %v: something was deleted", before, got)
		}
		for _, c := range f.calls {
			if strings.HasPrefix(c, "delete") || strings.HasPrefix(c, "refused") {
				t.Fatalf("a DELETE was sent: %.100s", c)
			}
		}
		msg := err.Error()
		for _, want := range []string{
			"cannot be deleted by the provider, and nothing of it was deleted",
			fmt.Sprintf("would be a %d-byte request line, over the engine's 4096-byte limit (http.max_initial_line_length)", len(deleteLine("backups", names[0]))),
			"To get out, delete the backup's snapshots by hand.",
			"matches the backup's 2 snapshots and no other snapshot of the repository now",
			"\n\n  GET /_snapshot/backups/" + escapedPrefix + "*\n\n",
			"\n\n  " + wantLine + "\n\n",
			"send it only right after a GET that listed the backup's snapshots and nothing else",
			"raise http.max_initial_line_length",
			"\n\n  " + deleteLine("backups", names[0])[:len(deleteLine("backups", names[0]))-len(" HTTP/1.1")],
			"\n\n  " + deleteLine("backups", names[1])[:len(deleteLine("backups", names[1]))-len(" HTTP/1.1")],
		} {
			if !strings.Contains(msg, want) {
				t.Errorf("the error lacks %.300q:\n%.3000s", want, msg)
			}
		}
		if n := len(wantLine + " HTTP/1.1"); n > MaxRequestLineBytes || n < MaxRequestLineBytes-5 {
			t.Errorf("the suggested DELETE is %d bytes long: it must fit, and be the longest that does", n)
		}
	})

	t.Run("the pattern would match another version's backup of the id", func(t *testing.T) {
		f := newFakeCluster()
		f.put(names...)
		f.put(SnapshotNames(id, "3.10.0")...)
		before := f.names()
		err := (&Service{Cluster: lineLimitedCluster{f}}).DeleteOwned(context.Background(), "backups", id, Owner{Version: "3.9.0"})
		var tooLong *DeleteLineTooLongError
		if !errors.As(err, &tooLong) || !reflect.DeepEqual(f.names(), before) {
			t.Fatalf("err = %v, snapshots %d of %d: want a DeleteLineTooLongError and nothing deleted", err, len(f.names()), len(before))
		}
		msg := err.Error()
		if strings.Contains(msg, wantLine) || !strings.Contains(msg, "also matches snapshot camunda_optimize_") ||
			!strings.Contains(msg, "never delete by that pattern") || !strings.Contains(msg, "delete the backup's snapshots by hand") {
			t.Errorf("the error must refuse the pattern that matches another backup's snapshots:\n%.3000s", msg)
		}
	})
}
