// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package camunda

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/optimize-tf/terraform-provider-optimize/internal/platform"
)

// ErrNotFound: the backup does not exist (errors.Is with a *NotFoundError).
var ErrNotFound = platform.ErrNotFound

// APIError is an answer of Camunda that says a request failed: an error
// status, or (8.6 to 8.9's exporting actuator, which always answers HTTP
// 200) a body whose status is not 204.
type APIError struct {
	Component string // "Zeebe", "the web apps", "Operate", "Tasklist"
	Method    string
	URL       string // never with credentials
	Status    int    // the HTTP status, or the envelope's status
	// Envelope: the status is the body's (HTTP 200 with {"status": 500, ...}).
	Envelope bool
	Message  string // Camunda's, secrets redacted
	// Credentials says which credentials were sent, for 401 and 403.
	Credentials string
}

func (e *APIError) Error() string {
	var msg string
	if e.Envelope {
		msg = fmt.Sprintf("%s answered %s %s with HTTP 200 and status %d in its body (204 means success)", e.Component, e.Method, e.URL, e.Status)
	} else {
		msg = fmt.Sprintf("%s answered %s %s with %d %s", e.Component, e.Method, e.URL, e.Status, http.StatusText(e.Status))
	}
	if e.Message != "" {
		msg += ": " + e.Message
	}
	switch e.Status {
	case http.StatusUnauthorized:
		msg += fmt.Sprintf(" (the provider sent %s)", e.Credentials)
	case http.StatusForbidden:
		msg += fmt.Sprintf(" (the provider sent %s; the backup takes the BACKUP permissions CREATE, READ and DELETE and EXPORTER:PAUSE)", e.Credentials)
	}
	return msg
}

// NotFoundError: a component has no backup of the id (404, or a state
// DOES_NOT_EXIST).
type NotFoundError struct {
	Component string
	ID        int64
	Message   string
}

func (e *NotFoundError) Error() string {
	msg := fmt.Sprintf("%s has no backup %d", e.Component, e.ID)
	if e.Message != "" {
		msg += ": " + e.Message
	}
	return msg
}

// Is makes errors.Is(err, ErrNotFound) true.
func (e *NotFoundError) Is(target error) bool { return target == ErrNotFound }

// ConflictError: a component refused to take backup ID: Zeebe because the
// id is not above its latest backup's (409; Latest from its message, 0
// when it names none), the web apps because a backup of the id exists or
// another backup is running (409 on /v2, 400 on the actuators).
type ConflictError struct {
	Component string
	ID        int64
	Latest    int64
	Message   string
}

// Is makes errors.Is(err, platform.ErrRefused) true: the component took
// nothing of the id.
func (e *ConflictError) Is(target error) bool { return target == platform.ErrRefused }

func (e *ConflictError) Error() string {
	if e.Latest > 0 {
		return fmt.Sprintf("%s refused backup %d: the id must be greater than its latest backup's, %d: %s", e.Component, e.ID, e.Latest, e.Message)
	}
	return fmt.Sprintf("%s refused backup %d: %s", e.Component, e.ID, e.Message)
}

// UnreachableError: a request got no answer.
type UnreachableError struct {
	Component   string
	Method, URL string
	Err         error
}

func (e *UnreachableError) Error() string {
	return fmt.Sprintf("%s at %s is unreachable (%s): %v", e.Component, e.URL, e.Method, e.Err)
}

func (e *UnreachableError) Unwrap() error { return e.Err }

// TokenError: the OAuth token could not be fetched.
type TokenError struct {
	TokenURL, ClientID string
	Message            string // the identity provider's, secrets redacted
}

func (e *TokenError) Error() string {
	return fmt.Sprintf("fetching an OAuth token for client %q from %s failed: %s", e.ClientID, e.TokenURL, e.Message)
}

// UnsupportedError: the API generation has no such operation (reading the
// exporting state before 8.10) or no such component (Operate in 8.8, the
// web apps in 8.7, Optimize and the records anywhere: the search engine
// takes theirs).
type UnsupportedError struct {
	Operation string
	Version   string
	API       platform.API
}

func (e *UnsupportedError) Error() string {
	return fmt.Sprintf("%s: Camunda %s (%s) has no API for it", e.Operation, e.Version, e.API)
}

// NotConfiguredError: the component's endpoint is not configured.
type NotConfiguredError struct {
	Component string
}

func (e *NotConfiguredError) Error() string {
	return fmt.Sprintf("no endpoint is configured for %s", e.Component)
}

// latestID finds the latest id in Zeebe's BackupAlreadyExistException text:
// "The latest backup has id 5." (8.6 to 8.9), "... has ID 5." (8.10).
var latestID = regexp.MustCompile(`(?i)latest backup has id (\d+)`)

// errorMessage is Camunda's message in an error body: 8.10's problem
// detail ({"title", "detail"}), the actuators' {"message"}, Operate's and
// Tasklist's {"status", "message"}, the exporting envelope's {"body":
// {"message"} | "text" | {...}}, or the text itself.
func errorMessage(body []byte) string {
	var parsed struct {
		Message       string          `json:"message"`
		Detail        string          `json:"detail"`
		Title         string          `json:"title"`
		FailureReason string          `json:"failureReason"`
		Body          json.RawMessage `json:"body"`
	}
	if json.Unmarshal(body, &parsed) != nil {
		return clip(strings.TrimSpace(string(body)))
	}
	switch {
	case parsed.Detail != "":
		return clip(parsed.Detail)
	case parsed.Message != "":
		return clip(parsed.Message)
	case parsed.FailureReason != "":
		return clip(parsed.FailureReason)
	case parsed.Title != "":
		return clip(parsed.Title)
	case len(parsed.Body) > 0 && string(parsed.Body) != "null":
		var text string
		if json.Unmarshal(parsed.Body, &text) == nil {
			return clip(text)
		}
		if inner := errorMessage(parsed.Body); inner != "" {
			return inner
		}
	}
	return ""
}

// clip keeps a message readable when a server answers pages of it.
func clip(s string) string {
	const limit = 2000
	if len(s) > limit {
		return s[:limit] + "…"
	}
	return s
}

// answerError is the typed error of an error answer to a backup request.
func answerError(e *APIError, component platform.Component, id int64, take bool) error {
	switch {
	case e.Status == http.StatusNotFound && id > 0 && !strings.Contains(strings.ToLower(e.Message), "repository"):
		// "No backup repository configured." is a 404 in 8.6: not a
		// missing backup.
		return &NotFoundError{Component: e.Component, ID: id, Message: e.Message}
	case take && e.Status == http.StatusConflict:
		c := &ConflictError{Component: e.Component, ID: id, Message: e.Message}
		if m := latestID.FindStringSubmatch(e.Message); m != nil {
			c.Latest, _ = strconv.ParseInt(m[1], 10, 64)
		}
		return c
	case take && e.Status == http.StatusBadRequest && component != platform.Zeebe && strings.Contains(e.Message, "already exists"):
		// The actuators of the web apps answer a duplicate with 400:
		// "A backup with ID [X] already exists. Found snapshots: [...]".
		return &ConflictError{Component: e.Component, ID: id, Message: e.Message}
	}
	return e
}
