// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package searchhttp

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/optimize-tf/terraform-provider-optimize/internal/optimize"
)

// Error is an error answer of Elasticsearch (or OpenSearch: Product).
type Error struct {
	Product string // "Elasticsearch" when empty
	Status  int
	// Retries is how often the request was tried again before this answer.
	Retries int
	Type    string
	Reason  string
	Method  string
	Path    string
	// Credentials says which credentials were sent, for 401 and 403.
	Credentials string
	// AWS: Amazon OpenSearch Service refused the signed request (403).
	AWS bool
	// EndpointPaths are the paths of the endpoints that have one (such as
	// /os in https://proxy.example.com/os), for AWS's refusals.
	EndpointPaths []string
}

// signatureMismatch is AWS's message for a signature computed over another
// request than the one signed.
const signatureMismatch = "signature we calculated does not match"

func (e *Error) Error() string {
	product := e.Product
	if product == "" {
		product = "Elasticsearch"
	}
	msg := fmt.Sprintf("%s answered %s %s with %d", product, e.Method, e.Path, e.Status)
	if e.Retries > 0 {
		msg = fmt.Sprintf("%s still answered %s %s after %d retries: %d", product, e.Method, e.Path, e.Retries, e.Status)
	}
	if e.Type != "" {
		msg += fmt.Sprintf(" %s: %s", e.Type, e.Reason)
	} else if e.Reason != "" && (e.AWS || strings.Contains(e.Reason, "is not authorized to perform: es:")) {
		msg += fmt.Sprintf(": %q", e.Reason)
	}
	if !e.AWS && strings.Contains(e.Reason, "anonymous is not authorized to perform: es:") {
		return msg + ": an Amazon OpenSearch Service domain with IAM access, which takes only requests signed with AWS Signature Version 4; configure elasticsearch.aws (region, and credentials from the AWS SDK's chain)"
	}
	if e.AWS {
		msg += fmt.Sprintf(". AWS refused the request: the provider signed it with %s", e.Credentials)
		check := "Check"
		if len(e.EndpointPaths) > 0 && strings.Contains(e.Reason, signatureMismatch) {
			msg += fmt.Sprintf(". The endpoint has a path (%s): a proxy that routes by that path and removes it before passing the request on makes the domain check the signature over another path than the one signed, "+
				"so every signature mismatches; point elasticsearch.endpoints at the domain's own endpoint (or route to it by host name, keeping the path)", quoteAll(e.EndpointPaths))
			check = "Otherwise, check"
		}
		return msg + fmt.Sprintf(". %s that the region is the domain's, "+
			"that the credentials are current (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or the role: IRSA on EKS, an instance or container role), "+
			"that the identity may call es:ESHttpGet, es:ESHttpPut, es:ESHttpPost and es:ESHttpDelete on the domain's paths, "+
			"and that the domain's access policy (and fine-grained access control's role mapping) lets it in", check)
	}
	switch e.Status {
	case http.StatusUnauthorized:
		msg += fmt.Sprintf(" (the provider sent %s; check the elasticsearch block or the ELASTICSEARCH_* environment variables)", e.Credentials)
	case http.StatusForbidden:
		msg += fmt.Sprintf(" (the provider sent %s; that user or key needs the cluster privilege manage (or create_snapshot and monitor_snapshot) and read access to the Optimize indices)", e.Credentials)
	}
	return msg
}

// Is maps the engines' error types onto the domain's errors.
func (e *Error) Is(target error) bool {
	switch target {
	case optimize.ErrRepositoryMissing:
		return e.Type == "repository_missing_exception"
	case optimize.ErrSnapshotMissing:
		return e.Type == "snapshot_missing_exception"
	case optimize.ErrSnapshotExists:
		// Elasticsearch 8 throws the subclass SnapshotNameAlreadyInUseException.
		return (e.Type == "invalid_snapshot_name_exception" || e.Type == "snapshot_name_already_in_use_exception") &&
			(strings.Contains(e.Reason, "already exists") || strings.Contains(e.Reason, "already in-progress"))
	case optimize.ErrNotFound:
		return e.Status == http.StatusNotFound
	}
	return false
}

// UnreachableError is a request that got no answer from the engine.
type UnreachableError struct {
	Endpoints []string
	Product   string // "Elasticsearch" when empty
	Err       error
}

func (e *UnreachableError) Error() string {
	product := e.Product
	if product == "" {
		product = "Elasticsearch"
	}
	return fmt.Sprintf("%s at %s is unreachable: %v; check elasticsearch.endpoints (or ELASTICSEARCH_ENDPOINTS) and that the cluster is up",
		product, strings.Join(e.Endpoints, ", "), e.Err)
}

func (e *UnreachableError) Unwrap() []error { return []error{e.Err, optimize.ErrUnreachable} }

// CertificateError is a TLS connection refused because Elasticsearch's
// certificate could not be verified.
type CertificateError struct {
	Endpoint string   // the configured endpoints
	Issuer   string   // who signed the certificate Elasticsearch presented
	Trusted  []string // the configured CAs (ca_file, ca_data); none: the system's
	Err      error
}

func (e *CertificateError) Error() string {
	var hostname x509.HostnameError
	if errors.As(e.Err, &hostname) {
		return fmt.Sprintf("the TLS certificate of Elasticsearch at %s does not name that host (%v); use an endpoint with a name the certificate holds", e.Endpoint, e.Err)
	}
	trust := "a certificate authority that this system trusts"
	if len(e.Trusted) > 0 {
		trust = fmt.Sprintf("the configured CA (%s, from ca_file or ca_data)", quoteAll(e.Trusted))
	}
	return fmt.Sprintf("the TLS certificate of Elasticsearch at %s, issued by %q, is not signed by %s (%v); set elasticsearch.ca_file or ca_data to the CA that issued it (insecure = true skips the check, for tests only)",
		e.Endpoint, e.Issuer, trust, e.Err)
}

func (e *CertificateError) Unwrap() []error { return []error{e.Err, optimize.ErrUnreachable} }

func quoteAll(s []string) string {
	q := make([]string, len(s))
	for i, v := range s {
		q[i] = strconv.Quote(v)
	}
	return strings.Join(q, ", ")
}

// certificateError recognizes a failed verification of Elasticsearch's
// certificate in a transport error; nil if it is something else.
func certificateError(err error, endpoints []string, caPEM []byte) error {
	var verify *tls.CertificateVerificationError
	if !errors.As(err, &verify) {
		return nil
	}
	// The transport's error does not say which endpoint it came from.
	e := &CertificateError{Err: verify.Err, Endpoint: strings.Join(endpoints, ", ")}
	if len(verify.UnverifiedCertificates) > 0 {
		e.Issuer = verify.UnverifiedCertificates[0].Issuer.String()
	}
	for rest := caPEM; len(rest) > 0; {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if cert, perr := x509.ParseCertificate(block.Bytes); perr == nil {
			e.Trusted = append(e.Trusted, cert.Subject.String())
		}
	}
	return e
}

// TransportError turns an error of a transport (no answer) into the
// domain's: a certificate that cannot be verified, or an unreachable
// cluster; ctx's own error when it ended.
func TransportError(ctx context.Context, err error, method, path string, cfg Config) error {
	if ctx.Err() != nil {
		return fmt.Errorf("%s %s: %w", method, path, ctx.Err())
	}
	if certErr := certificateError(err, cfg.Endpoints, cfg.CACert); certErr != nil {
		return certErr
	}
	return &UnreachableError{Endpoints: cfg.Endpoints, Product: cfg.ProductName(), Err: err}
}

// DecodeAnswer reads an answer of status with body: an error answer (300
// and above) as DecodeError does, a JSON answer into out (when not nil).
// method and path are the request's as messages show it.
func DecodeAnswer(status int, body io.Reader, method, path string, cfg Config, out any) error {
	if status >= http.StatusMultipleChoices {
		return DecodeError(status, body, method, path, cfg)
	}
	if out == nil {
		_, _ = io.Copy(io.Discard, body)
		return nil
	}
	if err := json.NewDecoder(body).Decode(out); err != nil {
		return fmt.Errorf("decoding %s's answer to %s %s: %w", cfg.ProductName(), method, path, err)
	}
	return nil
}

// DecodeError reads an error answer: Elasticsearch's (and OpenSearch's)
// {"error":{"root_cause":[...],"type":T,"reason":R},"status":S}, a plain
// string error, or a text body. An answer of a status the client retries
// comes only after every retry: the error says so.
func DecodeError(status int, r io.Reader, method, path string, cfg Config) error {
	e := decodeError(status, r, method, path, cfg.Credentials())
	e.Product = cfg.Product
	// Amazon OpenSearch Service answers a refused signature or credential
	// with 403 and its own {"message": ...} ({"Message": ...} for an
	// anonymous request), before the engine sees the request.
	e.AWS = cfg.AWS != nil && status == http.StatusForbidden && e.Type == ""
	if e.AWS {
		for _, endpoint := range cfg.Endpoints {
			if u, err := url.Parse(endpoint); err == nil && strings.Trim(u.Path, "/") != "" && !slices.Contains(e.EndpointPaths, u.Path) {
				e.EndpointPaths = append(e.EndpointPaths, u.Path)
			}
		}
	}
	if slices.Contains(RetryOnStatus, status) {
		e.Retries = MaxRetries
	}
	return e
}

func decodeError(status int, r io.Reader, method, path, credentials string) *Error {
	e := &Error{Status: status, Method: method, Path: path, Credentials: credentials}
	body, _ := io.ReadAll(io.LimitReader(r, 1<<20))
	var parsed struct {
		Error json.RawMessage `json:"error"`
	}
	if json.Unmarshal(body, &parsed) == nil && len(parsed.Error) > 0 {
		var detail struct {
			Type   string `json:"type"`
			Reason string `json:"reason"`
		}
		if json.Unmarshal(parsed.Error, &detail) == nil && detail.Type != "" {
			e.Type, e.Reason = detail.Type, detail.Reason
		} else {
			var text string
			if json.Unmarshal(parsed.Error, &text) == nil {
				e.Reason = text
			}
		}
	}
	if e.Type == "" && e.Reason == "" {
		var aws struct {
			Message  string `json:"message"`
			MessageC string `json:"Message"`
		}
		if json.Unmarshal(body, &aws) == nil {
			e.Reason = aws.Message + aws.MessageC
		}
	}
	if e.Type == "" && e.Reason == "" && len(body) > 0 && !json.Valid(body) {
		e.Reason = strings.TrimSpace(string(body))
	}
	return e
}
