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
	return capitalize(err.Error())
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
}

// detail is the detail of a diagnostic about err, which ended the operation.
func (d diagnosis) detail(err error) string {
	msg := errorDetail(err)
	switch d.operation {
	case "create":
		msg += createAdvice(err, d.timeout, d.started)
	case "invoke":
		msg = sentence(err)
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
	return fmt.Sprintf("Nothing was changed. Check: %s. Found: %s", refused.Check, refused.Reason)
}
