// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
	"github.com/optimize-tf/terraform-provider-optimize/internal/platform"
)

// The one way a domain error becomes a diagnostic. The domain's errors say
// what happened in the domain's words; the provider says it in Terraform's:
// sentence rewords each typed domain error in an error's text with the
// advice its type calls for (which attribute to set, which command to run),
// and a diagnosis adds what the operation that failed calls for (its
// timeout, what a create left behind, a repository that is gone).

// errorDetail is the detail of a diagnostic about err: its sentence, with a
// full stop.
func errorDetail(err error) string {
	return sentence(err) + "."
}

// sentence is err's text as the provider says it, capitalized, without a
// full stop (for a detail that goes on).
func sentence(err error) string {
	return diagnosis{}.sentence(err)
}

func (d diagnosis) sentence(err error) string {
	return capitalize(d.reword(err.Error(), err))
}

// reword replaces, in text, the text of each typed domain error of err's
// chain with the provider's: the same facts, and the advice of the error's
// type in Terraform's words. The outer errors come first: their text holds
// the inner ones'.
func (d diagnosis) reword(text string, err error) string {
	replace := func(domain, terraform string) {
		text = strings.Replace(text, domain, terraform, 1)
	}
	var (
		incomplete  *optimize.RestoreIncompleteError
		refused     *optimize.RestoreRefusedError
		familyRepo  *platform.RepositoryMissingError
		missing     *optimize.RepositoryMissingError
		exists      *optimize.BackupExistsError
		failed      *optimize.PartFailedError
		unsupported *optimize.UnsupportedVersionError
		unknown     *optimize.VersionUnknownError
		noIndex     *optimize.NoOptimizeIndexError
		tooLong     *optimize.DeleteLineTooLongError
	)
	if errors.As(err, &incomplete) {
		replace(incomplete.Error(), restoreIncompleteWords(incomplete))
	}
	if errors.As(err, &refused) {
		replace(refused.Error(), fmt.Sprintf("backup %q was not restored, nothing was changed: %s: %s", refused.ID, refused.Check, restoreFound(refused)))
	}
	if errors.As(err, &familyRepo) {
		replace(familyRepo.Error(), strings.Replace(familyRepo.Error(), "writes to. Where", "writes to, in repository_names (by family) or repository_name. Where", 1))
	}
	if errors.As(err, &missing) && missing.Repository == "" {
		replace(missing.Error(), missing.Error()+": set repository_name on the resource or the provider, or CAMUNDA_OPTIMIZE_BACKUP_REPOSITORY_NAME (the same setting Optimize reads)")
	}
	if errors.As(err, &exists) {
		replace(exists.Error(), d.backupExistsWords(exists))
	}
	if errors.As(err, &failed) {
		replace(failed.Error(), failed.Error()+"; the next apply replaces it (its snapshots are deleted and taken again)")
	}
	if errors.As(err, &unsupported) {
		replace(unsupported.Error(), unsupported.Error()+"; set optimize_version to the version of your Optimize (its metadata index, <index_prefix>-metadata, holds it as schemaVersion)")
	}
	if errors.As(err, &unknown) {
		replace(unknown.Error(), versionUnknownWords(unknown))
	}
	if errors.As(err, &noIndex) {
		replace(noIndex.Error(), noIndex.Error()+"; check index_prefix and that Optimize has started at least once against this cluster")
	}
	if errors.As(err, &tooLong) {
		replace(tooLong.Error(), strings.Replace(tooLong.Error(), "To get out, delete the backup's snapshots by hand.",
			"To get out, delete the backup's snapshots by hand, then remove the backup from the state: terraform state rm <address of this optimize_backup resource>.", 1))
	}
	return text
}

// backupExistsWords says that a backup of the id exists, and how to adopt it.
func (d diagnosis) backupExistsWords(e *optimize.BackupExistsError) string {
	how := "already exists"
	if e.Concurrent {
		how = "is being taken by another writer (another resource or workspace with the same backup_id started it while this create ran; nothing of it was recorded or will be deleted here)"
	}
	importID := string(e.ID)
	if d.importNamesRepository {
		importID = e.Repository + "/" + importID
	}
	return fmt.Sprintf("a backup with id %q %s in repository %q (snapshots: %s); choose another backup_id, "+
		"or adopt it with: terraform import optimize_backup.<name> %s",
		e.ID, how, e.Repository, strings.Join(e.Snapshots, ", "), importID)
}

// versionUnknownWords says which optimize_version to set.
func versionUnknownWords(e *optimize.VersionUnknownError) string {
	switch {
	case e.Restore && e.Missing:
		return fmt.Sprintf("optimize_version is set neither on the action nor on the provider, and Optimize's metadata document %s/_doc/%s does not exist to read it from: set optimize_version to the version of the Optimize that will read the restored data", e.Index, e.Document)
	case e.Restore:
		return fmt.Sprintf("optimize_version is set neither on the action nor on the provider, and Optimize's metadata document %s/_doc/%s has no schemaVersion: set optimize_version", e.Index, e.Document)
	case e.Missing:
		return fmt.Sprintf("the Optimize version is unknown: optimize_version is not set, and Optimize's metadata document %s/_doc/%s does not exist: set optimize_version, or check index_prefix", e.Index, e.Document)
	default:
		return fmt.Sprintf("the Optimize version is unknown: optimize_version is not set, and Optimize's metadata document %s/_doc/%s has no schemaVersion: set optimize_version", e.Index, e.Document)
	}
}

// restoreIncompleteWords says what a restore that failed part way did, and
// how to finish it with the action.
func restoreIncompleteWords(e *optimize.RestoreIncompleteError) string {
	installation, target := "the installation's", ""
	if e.Target != "" {
		installation, target = fmt.Sprintf("the target installation %q's", e.Target), fmt.Sprintf(" and target_index_prefix = %q", e.Target)
	}
	return e.Report() + fmt.Sprintf("\n\nTo finish, keep Optimize stopped and restore the backup again with delete_existing_indices = true%s and optimize_version = %q "+
		"(the metadata index that held the version may be gone): it deletes %s indices restored so far and restores both parts from the start.", target, e.BackupVersion(), installation)
}

// restoreFound is what a refused restore's check found, and what lets the
// restore pass.
func restoreFound(refused *optimize.RestoreRefusedError) string {
	found := refused.Reason
	if refused.Err != nil {
		found = diagnosis{}.reword(found, refused.Err)
	}
	switch refused.Fix {
	case optimize.FixBackup:
		found += "; check backup_id and repository_name (the optimize_backups data source lists the repository's backups)"
	case optimize.FixTargetVersion:
		found += fmt.Sprintf(": restore it for Optimize %s (set optimize_version = %q and start that version), then upgrade", refused.BackupVersion, refused.BackupVersion)
	case optimize.FixDeleteExisting:
		found += ". With Optimize stopped, set delete_existing_indices = true to delete exactly these indices first, or delete them yourself"
	case optimize.FixIndexPrefix:
		found += "; check index_prefix on the provider"
	}
	return found
}

// addWarnings adds the domain's warnings about backup id, with the
// provider's advice where the warning's kind calls for it.
func addWarnings(diags *diag.Diagnostics, id string, warnings []optimize.Warning) {
	for _, w := range warnings {
		detail := w.Detail
		if w.NoOwnAPI {
			detail += ": restore it with the optimize_backup_restore action"
		}
		diags.AddWarning(fmt.Sprintf("Backup %q: %s", id, w.Summary), detail+".")
	}
}

// capitalize starts a message as a sentence. A message that starts with a
// name written as it must be typed (an attribute such as optimize_version,
// a snapshot, index or path) keeps that spelling.
func capitalize(s string) string {
	first, _, _ := strings.Cut(s, " ")
	if s == "" || strings.ContainsAny(first, "_-./%\"") {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// noRepositoryDetail says that no snapshot repository is configured, and
// where to configure one.
func noRepositoryDetail() string {
	return errorDetail(&optimize.RepositoryMissingError{})
}

// addNoRepositoryPlanError refuses a plan that has no repository to work in.
func addNoRepositoryPlanError(diags *diag.Diagnostics) {
	diags.AddAttributeError(path.Root("repository_name"), "No snapshot repository", noRepositoryDetail())
}

// diagnosis is what an operation that failed adds to its error's detail.
type diagnosis struct {
	// operation is the timeout that ran out, when one did: "read",
	// "delete", "create" or "invoke".
	operation string
	timeout   time.Duration
	// repository is the repository of a backup or policy in the state: when
	// it is not registered, the detail says how to get out.
	repository string
	// started are the snapshots a create started (and recorded) before it
	// ended with the error.
	started []string
	// importNamesRepository: the import command the detail suggests names
	// the repository (<repository>/<backup_id>), which is not the one an
	// import uses by default.
	importNamesRepository bool
}

// detail is the detail of a diagnostic about err, which ended the operation.
func (d diagnosis) detail(err error) string {
	msg := d.sentence(err) + "."
	switch d.operation {
	case "create":
		msg += createAdvice(err, d.timeout, d.started)
	case "invoke":
		msg = d.sentence(err)
		var refused *optimize.RestoreRefusedError
		if errors.As(err, &refused) {
			msg = restoreRefusedDetail(refused)
		}
		if !strings.HasSuffix(msg, ".") {
			msg += "."
		}
		if errors.Is(err, context.DeadlineExceeded) {
			msg += fmt.Sprintf("\n\nThe invoke timeout of %s ran out; raise it with timeouts = { invoke = \"...\" }.", d.timeout)
		}
	default:
		if errors.Is(err, context.DeadlineExceeded) {
			msg += fmt.Sprintf("\n\nThe %s timeout of %s ran out. Check that Elasticsearch answers, then run the command again; if it is only slow, set a longer %s timeout on the resource, for example timeouts = { %s = \"30m\" }.",
				d.operation, d.timeout, d.operation, d.operation)
		}
	}
	if d.repository != "" && errors.Is(err, optimize.ErrRepositoryMissing) {
		msg += repositoryGoneHint(d.repository)
	}
	return msg
}

// createAdvice says what a create that ended with err, having started (and
// recorded) the snapshots named started, leaves behind and what to do: when
// it was interrupted, timed out or lost the connection.
func createAdvice(err error, timeout time.Duration, started []string) string {
	interrupted := errors.Is(err, context.Canceled)
	timedOut := errors.Is(err, context.DeadlineExceeded)
	if !interrupted && !timedOut && !errors.Is(err, optimize.ErrUnreachable) {
		return ""
	}
	var msg string
	switch {
	case interrupted:
		msg = "\n\nThe create was interrupted."
	case timedOut:
		msg = fmt.Sprintf("\n\nThe create timeout of %s ran out.", timeout)
	default:
		msg = "\n\nThe connection to Elasticsearch failed during the create."
	}
	if len(started) == 0 {
		msg += " No snapshot of the backup was started: nothing is recorded in the state, and the next apply takes the backup."
	} else {
		msg += fmt.Sprintf(" The snapshots already started (%s) are recorded in the state and go on in Elasticsearch; "+
			"the resource is tainted, so the next apply deletes them and takes the backup again.", strings.Join(started, ", "))
	}
	switch {
	case timedOut:
		msg += " If backups take longer than that, set a longer create timeout on the resource, for example timeouts = { create = \"2h\" } (the default is 60m)."
	case !interrupted:
		msg += " Run apply again once Elasticsearch answers."
	}
	return msg
}

// repositoryGoneHint is what to do when a backup's repository is not
// registered: register it again, or leave the backup behind.
func repositoryGoneHint(repository string) string {
	return fmt.Sprintf("\n\nRefreshing fails until repository %q is registered again: PUT _snapshot/%s with the settings it had, so that Elasticsearch finds the snapshots in its storage. "+
		"If it will not come back, either run terraform destroy -refresh=false (with -target=<address> to leave other resources alone), "+
		"which removes the backup from the state without deleting anything, or forget it with terraform state rm <address>.", repository, optimize.PathEscape(repository))
}

// restoreRefusedDetail is the detail of a restore that a check refused.
func restoreRefusedDetail(refused *optimize.RestoreRefusedError) string {
	return fmt.Sprintf("Nothing was changed. Check: %s. Found: %s", refused.Check, restoreFound(refused))
}
