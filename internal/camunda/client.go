// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

// Package camunda is the adapter for Camunda's management APIs: backup X
// of the web apps (8.6 and 8.7: Operate and Tasklist apart) and of Zeebe,
// started, read, listed and deleted, and Zeebe's exporting soft-paused and
// resumed, through the API generation of the version (8.6/8.7 component
// actuators, 8.8/8.9 management actuators, 8.10 REST /v2 with basic or
// OAuth client-credentials authentication). It stands on
// internal/searchhttp's transport, retry policy, request log and masking,
// and says nothing of Terraform.
package camunda

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/optimize-tf/terraform-provider-optimize/internal/platform"
	"github.com/optimize-tf/terraform-provider-optimize/internal/searchhttp"
)

// Log is the request log of Camunda's traffic: subsystem "camunda"
// (TF_LOG_PROVIDER_OPTIMIZE_CAMUNDA sets its level apart).
var Log = searchhttp.ServiceLog{Subsystem: "camunda", Service: "Camunda", Host: true}

// Client talks to one Camunda 8 installation's management APIs.
type Client struct {
	cfg     Config
	api     platform.API
	http    *http.Client
	secrets []string

	oauth *clientcredentials.Config
	mu    sync.Mutex
	token *oauth2.Token
}

// NewClient builds a client for cfg.
func NewClient(cfg Config) (*Client, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	api, err := cfg.api()
	if err != nil {
		return nil, err
	}
	transport := searchhttp.NewTransport(searchhttp.Config{Insecure: cfg.Insecure})
	if len(cfg.CACert) > 0 {
		searchhttp.TrustCA(transport, cfg.CACert)
	}
	c := &Client{cfg: cfg, api: api, secrets: cfg.Secrets(), http: &http.Client{
		Transport: transport,
		// No redirect is followed: it would take the credentials elsewhere.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
	if o := cfg.OAuth; o != nil {
		c.oauth = &clientcredentials.Config{
			ClientID: o.ClientID, ClientSecret: o.ClientSecret, TokenURL: o.TokenURL, Scopes: o.Scopes,
			// As Camunda's docs send them: form fields, not a basic header.
			AuthStyle: oauth2.AuthStyleInParams,
		}
		if o.Audience != "" {
			c.oauth.EndpointParams = url.Values{"audience": {o.Audience}}
		}
	}
	return c, nil
}

// API is the generation of Camunda's APIs the client talks to.
func (c *Client) API() platform.API { return c.api }

// request is one call of a Camunda API.
type request struct {
	component string // as messages name it
	method    string
	url       string
	body      []byte // JSON; nil: none
	rest      bool   // /v2: authenticated
	retry     bool   // idempotent: retried on searchhttp.RetryOnStatus
}

// answer is what Camunda answered.
type answer struct {
	status int
	body   []byte
}

// send sends r (again on a status searchhttp retries, when r may be) and
// returns any answer; an error only when none came.
func (c *Client) send(ctx context.Context, r request) (answer, error) {
	ctx = Log.Context(ctx, c.secrets...)
	for attempt := 0; ; attempt++ {
		a, err := c.sendOnce(ctx, r)
		if err == nil && r.rest && a.status == http.StatusUnauthorized {
			c.dropToken() // revoked or expired early: the next call fetches another
		}
		if err != nil || !r.retry || attempt >= searchhttp.MaxRetries || !slices.Contains(searchhttp.RetryOnStatus, a.status) {
			return a, err
		}
		select {
		case <-ctx.Done():
			return a, nil
		case <-time.After(searchhttp.RetryBackoff(attempt + 1)):
		}
	}
}

func (c *Client) sendOnce(ctx context.Context, r request) (answer, error) {
	var body io.Reader
	if r.body != nil {
		body = bytes.NewReader(r.body)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, r.url, body)
	if err != nil {
		return answer{}, err
	}
	req.Header.Set("Accept", "application/json")
	if r.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.cfg.UserAgent != "" {
		req.Header.Set("User-Agent", c.cfg.UserAgent)
	}
	if r.rest {
		if err := c.authorize(ctx, req); err != nil {
			return answer{}, err
		}
	}
	start := time.Now()
	res, err := c.http.Do(req)
	Log.LogRoundTrip(ctx, req, res, err, time.Since(start))
	if err != nil {
		if ctx.Err() != nil {
			return answer{}, fmt.Errorf("%s %s: %w", r.method, r.url, ctx.Err())
		}
		return answer{}, &UnreachableError{Component: r.component, Method: r.method, URL: r.url, Err: errors.New(searchhttp.Redact(err.Error(), c.secrets...))}
	}
	defer func() { _ = res.Body.Close() }()
	data, err := io.ReadAll(io.LimitReader(res.Body, 4<<20))
	if err != nil {
		return answer{}, &UnreachableError{Component: r.component, Method: r.method, URL: r.url, Err: err}
	}
	return answer{status: res.StatusCode, body: data}, nil
}

// authorize sets /v2's credentials on req. (The request log shows the
// Authorization header as its scheme only.)
func (c *Client) authorize(ctx context.Context, req *http.Request) error {
	switch {
	case c.oauth != nil:
		token, err := c.accessToken(ctx)
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", "Bearer "+token)
	case c.cfg.Username != "":
		req.SetBasicAuth(c.cfg.Username, c.cfg.Password)
	}
	return nil
}

// accessToken is the cached token while it is valid, else a new one from
// the token URL (through the same transport and log).
func (c *Client) accessToken(ctx context.Context) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.token.Valid() {
		return c.token.AccessToken, nil
	}
	logged := &http.Client{Transport: loggedTransport{next: c.http.Transport, ctx: ctx}, CheckRedirect: c.http.CheckRedirect}
	token, err := c.oauth.Token(context.WithValue(ctx, oauth2.HTTPClient, logged))
	if err != nil {
		return "", &TokenError{TokenURL: c.oauth.TokenURL, ClientID: c.oauth.ClientID, Message: searchhttp.Redact(err.Error(), c.secrets...)}
	}
	c.token = token
	return token.AccessToken, nil
}

// dropToken forgets the cached token.
func (c *Client) dropToken() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.token = nil
}

// loggedTransport logs the token requests as the others.
type loggedTransport struct {
	next http.RoundTripper
	ctx  context.Context
}

func (t loggedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	start := time.Now()
	res, err := t.next.RoundTrip(req)
	Log.LogRoundTrip(t.ctx, req, res, err, time.Since(start))
	return res, err
}

// apiError is the error of an answer that says the request failed.
func (c *Client) apiError(r request, a answer) *APIError {
	e := &APIError{Component: r.component, Method: r.method, URL: r.url, Status: a.status,
		Message: searchhttp.Redact(errorMessage(a.body), c.allSecrets()...)}
	if r.rest {
		e.Credentials = c.cfg.Credentials()
	} else {
		e.Credentials = "no credentials (the management port takes none)"
	}
	return e
}

// allSecrets are the configuration's secrets and the token in use.
func (c *Client) allSecrets() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.token == nil {
		return c.secrets
	}
	return append(slices.Clone(c.secrets), c.token.AccessToken)
}

// join is endpoint with path appended.
func join(endpoint, path string) string {
	return strings.TrimSuffix(endpoint, "/") + path
}
