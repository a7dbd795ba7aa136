// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package esemulator

import (
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
)

type queryParams struct{ url.Values }

func (q queryParams) get(k string) string { return q.Get(k) }

// bool reads a boolean parameter; a present empty value is true, as in
// Elasticsearch (?pretty, ?v).
func (q queryParams) bool(k string, def bool) bool {
	if !q.Has(k) {
		return def
	}
	v := q.Get(k)
	return v == "" || v == "true"
}

// Parameters every API accepts.
var commonParams = []string{"pretty", "human", "error_trace", "filter_path", "format"}

// route dispatches an Elasticsearch API request: its handler's answer, or
// the engine's error.
func (e *Emulator) route(r *http.Request, body []byte, compat string) (answer, *esError) {
	q := queryParams{r.URL.Query()}
	seg, err := pathSegments(r.URL.EscapedPath())
	if err != nil {
		return answer{}, errIllegalArgument(err.Error())
	}
	var h *handler
	switch {
	case len(seg) == 0:
		h = &handler{[]string{"GET", "HEAD"}, nil, e.info}
	case seg[0] == "_snapshot":
		h = e.routeSnapshot(seg[1:], q, r, body)
	case seg[0] == "_cat" && len(seg) >= 2 && len(seg) <= 3 && (seg[1] == "indices" || seg[1] == "aliases"):
		arg := ""
		if len(seg) == 3 {
			arg = seg[2]
		}
		params := []string{"h", "v", "s", "help", "bytes", "health", "pri", "expand_wildcards", "local", "master_timeout", "include_unloaded_segments", "time"}
		if seg[1] == "indices" {
			h = &handler{[]string{"GET"}, params, func() (answer, *esError) { return e.catIndices(arg, q) }}
		} else {
			h = &handler{[]string{"GET"}, params, func() (answer, *esError) { return e.catAliases(arg, q) }}
		}
	case seg[0] == "_cat" && len(seg) == 2 && seg[1] == "health":
		// RestHealthAction: ts (default true) adds epoch and timestamp. Its
		// parameters (rest-api-spec api/cat.health.json of 7.x and 8.x, and
		// OpenSearch's): format, h, help, s, time, ts, v; no local or
		// master_timeout (only 6.x's spec had them), which the engines refuse.
		params := []string{"h", "v", "s", "help", "ts", "time"}
		h = &handler{[]string{"GET"}, params, func() (answer, *esError) { return e.catHealth(q) }}
	case isDiskAPI(seg):
		h = e.routeDisk(seg, q, r)
	case seg[0] == "_alias" && len(seg) <= 2:
		arg := ""
		if len(seg) == 2 {
			arg = seg[1]
		}
		h = &handler{[]string{"GET"}, []string{"local", "expand_wildcards", "ignore_unavailable", "allow_no_indices"}, func() (answer, *esError) { return e.getAliases(arg) }}
	case seg[0] == "_aliases" && len(seg) == 1:
		// RestIndicesAliasesAction: POST /_aliases only.
		h = &handler{[]string{"POST"}, []string{"timeout", "master_timeout"}, func() (answer, *esError) { return e.updateAliases(body) }}
	case strings.HasPrefix(seg[0], "_"):
		// An API the emulator does not have: Elasticsearch's answer for an unknown route.
	case len(seg) == 1:
		name := seg[0]
		params := []string{"ignore_unavailable", "allow_no_indices", "expand_wildcards", "master_timeout", "timeout", "wait_for_active_shards", "include_type_name", "local", "flat_settings", "include_defaults"}
		switch r.Method {
		case http.MethodPut:
			h = &handler{[]string{"PUT"}, params, func() (answer, *esError) { return e.putIndex(name, body) }}
		case http.MethodDelete:
			h = &handler{[]string{"DELETE"}, params, func() (answer, *esError) { return e.deleteIndex(name, q) }}
		case http.MethodHead:
			h = &handler{[]string{"HEAD"}, params, func() (answer, *esError) { return e.headIndex(name) }}
		default:
			h = &handler{[]string{"GET", "HEAD", "PUT", "DELETE"}, params, func() (answer, *esError) { return e.getIndex(name, q) }}
		}
	case len(seg) == 2 && (seg[1] == "_close" || seg[1] == "_open"):
		name, closing := seg[0], seg[1] == "_close"
		h = &handler{[]string{"POST"}, []string{"ignore_unavailable", "allow_no_indices", "expand_wildcards", "master_timeout", "timeout", "wait_for_active_shards"},
			func() (answer, *esError) { return e.openClose(name, closing, q) }}
	case len(seg) == 3 && seg[1] == "_doc":
		name, id := seg[0], seg[2]
		params := []string{"refresh", "routing", "version", "version_type", "op_type", "timeout", "if_seq_no", "if_primary_term", "pipeline", "wait_for_active_shards", "require_alias", "realtime", "preference", "stored_fields", "_source", "_source_includes", "_source_excludes"}
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			h = &handler{[]string{"GET", "HEAD"}, params, func() (answer, *esError) { return e.getDocument(name, id, compat) }}
		} else {
			h = &handler{[]string{"PUT", "POST"}, params, func() (answer, *esError) { return e.putDocument(name, id, body, compat) }}
		}
	}
	if h == nil {
		return answer{http.StatusBadRequest, obj{{"error", "no handler found for uri [" + r.URL.RequestURI() + "] and method [" + r.Method + "]"}}}, nil
	}
	if !contains(h.methods, r.Method) {
		allowed := append([]string(nil), h.methods...)
		sort.Strings(allowed)
		return answer{http.StatusMethodNotAllowed, obj{{"error", "Incorrect HTTP method for uri [" + r.URL.RequestURI() + "] and method [" + r.Method + "], allowed: [" + strings.Join(allowed, ", ") + "]"}, {"status", 405}}}, nil
	}
	var unknown []string
	for k := range q.Values {
		if !contains(h.params, k) && !contains(commonParams, k) {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		noun := "parameter"
		if len(unknown) > 1 {
			noun = "parameters"
		}
		return answer{}, errIllegalArgument("request [" + r.URL.Path + "] contains unrecognized " + noun + ": [" + strings.Join(unknown, "], [") + "]")
	}
	a, failed := h.serve()
	if failed == nil && q.Has("filter_path") {
		a.body = filterPath(a.body, q.Get("filter_path"))
	}
	return a, failed
}

// pathSegments splits a raw request path as Elasticsearch does: on '/'
// first, then each segment percent-decoded on its own (RestUtils.decodeComponent),
// so that "%2F" is part of a name, not a separator, and '+' stays '+'.
func pathSegments(raw string) ([]string, error) {
	raw = strings.TrimSuffix(raw, "/")
	if raw == "" {
		return nil, nil
	}
	seg := strings.Split(strings.TrimPrefix(raw, "/"), "/")
	for i, s := range seg {
		d, err := decodeComponent(s)
		if err != nil {
			return nil, err
		}
		seg[i] = d
	}
	return seg, nil
}

// decodeComponent is Elasticsearch's RestUtils.decodeComponent for a path:
// %XX is a byte, "%%" is '%', '+' is itself; a malformed escape is an error
// with Elasticsearch's message.
func decodeComponent(s string) (string, error) {
	if !strings.Contains(s, "%") {
		return s, nil
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			b = append(b, s[i])
			continue
		}
		if i == len(s)-1 {
			return "", fmt.Errorf("unterminated escape sequence at end of string: %s", s)
		}
		i++
		if s[i] == '%' {
			b = append(b, '%')
			continue
		}
		if i == len(s)-1 {
			return "", fmt.Errorf("partial escape sequence at end of string: %s", s)
		}
		hi, lo := unhex(s[i]), unhex(s[i+1])
		i++
		if hi < 0 || lo < 0 {
			return "", fmt.Errorf("invalid escape sequence `%%%c%c' at index %d of: %s", s[i-1], s[i], i-2, s)
		}
		b = append(b, byte(hi<<4|lo)) //nolint:gosec // hi and lo are 0..15
	}
	return string(b), nil
}

func unhex(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'a' <= c && c <= 'f':
		return int(c-'a') + 10
	case 'A' <= c && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// handler is one API of the engine: the methods and parameters it takes,
// and what it does.
type handler struct {
	methods []string
	params  []string
	serve   func() (answer, *esError)
}

// answer is a handler's answer when it is not the engine's error (an
// *esError, which carries its own status): the status and the body, an
// obj, a []obj, or plainText (the cat API's text).
type answer struct {
	status int
	body   any
}

// answerOK is a 200 with this body.
func answerOK(body any) answer { return answer{http.StatusOK, body} }

// routeSnapshot routes /_snapshot/...; seg is the path after _snapshot.
func (e *Emulator) routeSnapshot(seg []string, q queryParams, r *http.Request, body []byte) *handler {
	timeouts := e.d.timeoutParams
	switch len(seg) {
	case 0:
		return &handler{[]string{"GET"}, timeouts, func() (answer, *esError) { return e.getRepositories("") }}
	case 1:
		repo := seg[0]
		if repo == "_status" {
			return &handler{[]string{"GET"}, append(timeouts, "ignore_unavailable"), func() (answer, *esError) { return e.snapshotStatus("", "", q) }}
		}
		switch r.Method {
		case http.MethodPut, http.MethodPost:
			return &handler{[]string{"PUT", "POST"}, append(timeouts, "verify"), func() (answer, *esError) { return e.putRepository(repo, body) }}
		case http.MethodDelete:
			return &handler{[]string{"DELETE"}, timeouts, func() (answer, *esError) { return e.deleteRepository(repo) }}
		}
		return &handler{[]string{"GET", "PUT", "POST", "DELETE"}, timeouts, func() (answer, *esError) { return e.getRepositories(repo) }}
	case 2:
		repo, name := seg[0], seg[1]
		switch name {
		case "_verify":
			return &handler{[]string{"POST"}, timeouts, func() (answer, *esError) { return e.verifyRepository(repo) }}
		case "_status":
			return &handler{[]string{"GET"}, append(timeouts, "ignore_unavailable"), func() (answer, *esError) { return e.snapshotStatus(repo, "", q) }}
		case "_cleanup":
			return nil
		}
		switch r.Method {
		case http.MethodPut, http.MethodPost:
			return &handler{[]string{"PUT", "POST"}, append(timeouts, "wait_for_completion"), func() (answer, *esError) {
				return e.createSnapshot(repo, name, q, body, r.Context().Done())
			}}
		case http.MethodDelete:
			return &handler{[]string{"DELETE"}, params(timeouts, e.d.deleteSnapshotParams), func() (answer, *esError) { return e.deleteSnapshots(repo, name) }}
		}
		getTimeouts := timeouts
		if e.d.getSnapshotTimeouts != nil {
			getTimeouts = e.d.getSnapshotTimeouts
		}
		return &handler{[]string{"GET", "PUT", "POST", "DELETE"}, params(getTimeouts, e.d.getSnapshotParams),
			func() (answer, *esError) { return e.getSnapshots(repo, name, q) }}
	case 3:
		repo, name := seg[0], seg[1]
		switch seg[2] {
		case "_status":
			return &handler{[]string{"GET"}, append(timeouts, "ignore_unavailable"), func() (answer, *esError) { return e.snapshotStatus(repo, name, q) }}
		case "_restore":
			return &handler{[]string{"POST"}, append(timeouts, "wait_for_completion"), func() (answer, *esError) {
				a, err := e.restoreSnapshot(repo, name, q, body)
				if err == nil && q.bool("wait_for_completion", false) {
					e.mu.Lock()
					d := e.duration
					e.mu.Unlock()
					time.Sleep(d)
				}
				return a, err
			}}
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (e *Emulator) info() (answer, *esError) {
	return answerOK(e.d.info(e.clusterID)), nil
}

// authenticate checks credentials when the emulator was started with some,
// answering as Elasticsearch's security does.
func (e *Emulator) authenticate(r *http.Request) *esError {
	if e.cfg.Username == "" && e.cfg.APIKey == "" && e.cfg.BearerToken == "" {
		return nil
	}
	if e.d.securityText {
		return e.authenticateOpenSearch(r)
	}
	challenge := []string{`Basic realm="security" charset="UTF-8"`}
	if e.cfg.BearerToken != "" {
		challenge = append(challenge, `Bearer realm="security"`)
	}
	if e.cfg.APIKey != "" {
		challenge = append(challenge, "ApiKey")
	}
	fail := func(reason string) *esError {
		err := newError(http.StatusUnauthorized, "security_exception", reason)
		err.header = map[string][]string{"WWW-Authenticate": challenge}
		return err
	}
	auth := r.Header.Get("Authorization")
	uri := r.URL.RequestURI()
	scheme, cred, _ := strings.Cut(auth, " ")
	switch {
	case auth == "":
		return fail("missing authentication credentials for REST request [" + uri + "]")
	case strings.EqualFold(scheme, "Basic"):
		raw, err := base64.StdEncoding.DecodeString(cred)
		user, pass, _ := strings.Cut(string(raw), ":")
		if err == nil && e.cfg.Username != "" && user == e.cfg.Username &&
			subtle.ConstantTimeCompare([]byte(pass), []byte(e.cfg.Password)) == 1 {
			return nil
		}
		return fail("unable to authenticate user [" + user + "] for REST request [" + uri + "]")
	case strings.EqualFold(scheme, "ApiKey") && e.cfg.APIKey != "":
		if subtle.ConstantTimeCompare([]byte(cred), []byte(e.cfg.APIKey)) == 1 {
			return nil
		}
		return fail("unable to authenticate with provided credentials and anonymous access is not allowed for this request")
	case strings.EqualFold(scheme, "Bearer") && e.cfg.BearerToken != "":
		if subtle.ConstantTimeCompare([]byte(cred), []byte(e.cfg.BearerToken)) == 1 {
			return nil
		}
		return fail("unable to authenticate with provided credentials and anonymous access is not allowed for this request")
	}
	return fail("unable to authenticate with provided credentials and anonymous access is not allowed for this request")
}

// authenticateOpenSearch is the security plugin of OpenSearch: basic
// authentication or a bearer token (its JWT and OpenID backends); it has no
// API keys. A failure is a 401 in plain text.
func (e *Emulator) authenticateOpenSearch(r *http.Request) *esError {
	scheme, cred, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	switch {
	case strings.EqualFold(scheme, "Basic") && e.cfg.Username != "":
		raw, err := base64.StdEncoding.DecodeString(cred)
		user, pass, _ := strings.Cut(string(raw), ":")
		if err == nil && user == e.cfg.Username && subtle.ConstantTimeCompare([]byte(pass), []byte(e.cfg.Password)) == 1 {
			return nil
		}
	case strings.EqualFold(scheme, "Bearer") && e.cfg.BearerToken != "":
		if subtle.ConstantTimeCompare([]byte(cred), []byte(e.cfg.BearerToken)) == 1 {
			return nil
		}
	}
	return &esError{status: http.StatusUnauthorized, typ: "security_exception", reason: "Unauthorized", text: "Unauthorized",
		header: map[string][]string{"WWW-Authenticate": {`Basic realm="OpenSearch Security"`}}}
}
