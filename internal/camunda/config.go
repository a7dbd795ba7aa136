// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package camunda

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/optimize-tf/terraform-provider-optimize/internal/platform"
	"github.com/optimize-tf/terraform-provider-optimize/internal/searchhttp"
)

// Config is how to reach Camunda's management APIs. Which endpoints are
// used follows the API generation of Version (platform.Order):
//
//   - 8.6 and 8.7: OperateEndpoint, TasklistEndpoint and ZeebeEndpoint,
//     each component's management port (9600), /actuator/backups, and
//     Zeebe's gateway's /actuator/exporting.
//   - 8.8 and 8.9: ManagementEndpoint, the Orchestration Cluster's
//     management port (9600): /actuator/backupHistory,
//     /actuator/backupRuntime, /actuator/exporting.
//   - 8.10 and later: RESTEndpoint, the Orchestration Cluster REST API
//     (8080; /v2 is added), with Username/Password or OAuth; without it,
//     ManagementEndpoint's actuators, which 8.10 keeps as the
//     backward-compatible alternative.
//
// The management port takes no credentials: they are sent to /v2 only.
type Config struct {
	Version string // Camunda's X.Y.Z (or X.Y)

	RESTEndpoint       string
	ManagementEndpoint string
	OperateEndpoint    string
	TasklistEndpoint   string
	ZeebeEndpoint      string

	// Basic authentication to /v2.
	Username, Password string
	// OAuth client credentials for /v2 (excludes Username/Password).
	OAuth *OAuth

	CACert    []byte // PEM: the only CAs trusted, when set
	Insecure  bool
	UserAgent string
}

// OAuth is the client-credentials flow of an identity provider (Keycloak,
// Microsoft Entra, Camunda SaaS): the token is fetched from TokenURL with
// grant_type=client_credentials, client_id and client_secret as form
// fields (and audience, when set), and sent as a Bearer token.
type OAuth struct {
	TokenURL     string
	ClientID     string
	ClientSecret string
	Audience     string
	Scopes       []string
}

// api is the generation the configuration talks to: Version's, except
// 8.10 and later without a REST endpoint, which use the management
// actuators.
func (c Config) api() (platform.API, error) {
	plan, err := platform.Order(c.Version)
	if err != nil {
		return "", err
	}
	if plan.API == platform.OrchestrationREST && c.RESTEndpoint == "" && c.ManagementEndpoint != "" {
		return platform.ManagementActuators, nil
	}
	return plan.API, nil
}

// Validate reports a configuration that cannot work, before any request.
func (c Config) Validate() error {
	api, err := c.api()
	if err != nil {
		return err
	}
	var errs []error
	endpoint := func(name, value string, required bool) {
		switch {
		case value == "" && required:
			errs = append(errs, fmt.Errorf("the %s endpoint is needed for Camunda %s", name, c.Version))
		case value != "":
			if err := searchhttp.ValidateEndpoint(value); err != nil {
				errs = append(errs, fmt.Errorf("the %s endpoint: %w", name, err))
			}
		}
	}
	switch api {
	case platform.ComponentActuators:
		endpoint("Zeebe gateway's management", c.ZeebeEndpoint, true)
		endpoint("Operate management", c.OperateEndpoint, false)
		endpoint("Tasklist management", c.TasklistEndpoint, false)
	case platform.ManagementActuators:
		endpoint("management", c.ManagementEndpoint, true)
	case platform.OrchestrationREST:
		endpoint("Orchestration Cluster REST API", c.RESTEndpoint, true)
		endpoint("management", c.ManagementEndpoint, false)
	}
	if c.Password != "" && c.Username == "" {
		errs = append(errs, errors.New("a password is set without a username"))
	}
	if c.OAuth != nil {
		if c.Username != "" {
			errs = append(errs, errors.New("both basic authentication and OAuth are configured for Camunda: keep one"))
		}
		if c.OAuth.TokenURL == "" || c.OAuth.ClientID == "" || c.OAuth.ClientSecret == "" {
			errs = append(errs, errors.New("OAuth for Camunda needs a token URL, a client id and a client secret"))
		}
		if c.OAuth.TokenURL != "" {
			if err := searchhttp.ValidateEndpoint(c.OAuth.TokenURL); err != nil {
				errs = append(errs, fmt.Errorf("the OAuth token URL: %w", err))
			}
		}
	}
	return errors.Join(errs...)
}

// Credentials says which credentials go to /v2, never their values.
func (c Config) Credentials() string {
	switch {
	case c.OAuth != nil:
		return fmt.Sprintf("an OAuth token for client %q from %s", c.OAuth.ClientID, c.OAuth.TokenURL)
	case c.Username != "":
		return fmt.Sprintf("basic authentication as user %q", c.Username)
	default:
		return "no credentials"
	}
}

// Secrets are the values never to log: the password and the basic
// credentials built from it (searchhttp's rule), the client secret.
func (c Config) Secrets() []string {
	s := searchhttp.Config{Username: c.Username, Password: c.Password}.Secrets()
	if c.OAuth != nil && c.OAuth.ClientSecret != "" {
		s = append(s, c.OAuth.ClientSecret, url.QueryEscape(c.OAuth.ClientSecret))
	}
	return s
}

// restBase is the REST endpoint without a trailing /v2 (given or not).
func restBase(endpoint string) string {
	return strings.TrimSuffix(strings.TrimSuffix(endpoint, "/"), "/v2")
}
