// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

// Package awsauth signs requests to Amazon OpenSearch Service with AWS
// Signature Version 4 (service "es"), with the signer that ships with
// opensearch-go (signer/awsv2) and credentials from the AWS SDK for Go v2's
// default chain: environment, shared files (a profile), web identity (EKS
// with IRSA), container and instance roles, optionally an assumed role.
// The SDK caches and refreshes them: no credential call per request.
package awsauth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/opensearch-project/opensearch-go/v4/signer"
	"github.com/opensearch-project/opensearch-go/v4/signer/awsv2"
)

// Service is Amazon OpenSearch Service's signing name.
const Service = "es"

// Config is the provider's elasticsearch.aws block.
type Config struct {
	Region        string // else AWS_REGION / the profile's region
	Profile       string // a shared-config profile; else AWS_PROFILE / default
	AssumeRoleARN string
}

// Signer signs requests for Amazon OpenSearch Service.
type Signer struct {
	signer      signer.Signer
	credentials aws.CredentialsProvider
	region      string

	mu     sync.Mutex
	keyID  string // the access key id of the last credentials, for messages
	token  string // the session token, to mask
	secret string
}

// New loads the credential chain and the region. It makes no request: the
// credentials are retrieved at the first signature.
func New(ctx context.Context, c Config) (*Signer, error) {
	var opts []func(*config.LoadOptions) error
	if c.Region != "" {
		opts = append(opts, config.WithRegion(c.Region))
	}
	if c.Profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(c.Profile))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("loading the AWS configuration (profile %q): %w", c.Profile, err)
	}
	if cfg.Region == "" {
		return nil, errors.New("no AWS region is known: set elasticsearch.aws.region (the domain's region, such as eu-west-1) or AWS_REGION")
	}
	if c.AssumeRoleARN != "" {
		cfg.Credentials = aws.NewCredentialsCache(stscreds.NewAssumeRoleProvider(sts.NewFromConfig(cfg), c.AssumeRoleARN))
	}
	s, err := awsv2.NewSignerWithService(cfg, Service)
	if err != nil {
		return nil, err
	}
	return &Signer{signer: s, credentials: cfg.Credentials, region: cfg.Region}, nil
}

// SignRequest signs r (opensearch-go's signer.Signer).
func (s *Signer) SignRequest(r *http.Request) error {
	if s.credentials != nil {
		if creds, err := s.credentials.Retrieve(r.Context()); err == nil {
			s.mu.Lock()
			s.keyID, s.token, s.secret = creds.AccessKeyID, creds.SessionToken, creds.SecretAccessKey
			s.mu.Unlock()
		} else {
			return fmt.Errorf("no AWS credentials for signing (region %s): %w; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or run where a role is available (IRSA on EKS, an instance or container role)", s.region, err)
		}
	}
	return s.signer.SignRequest(r)
}

// Describe says which credentials and region signed, never the secret or
// the session token.
func (s *Signer) Describe() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := s.keyID
	if key == "" {
		key = "(not retrieved yet)"
	}
	return fmt.Sprintf("AWS Signature Version 4 (service %s) with access key id %s in region %s", Service, key, s.region)
}

// Secrets are the values never to log: the secret key and the session
// token of the last credentials.
func (s *Signer) Secrets() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, v := range []string{s.secret, s.token} {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

// Transport signs every request before next sends it: for the requests the
// provider sends itself (engine detection's GET /).
func (s *Signer) Transport(next http.RoundTripper) http.RoundTripper {
	return signingTransport{next: next, signer: s}
}

type signingTransport struct {
	next   http.RoundTripper
	signer *Signer
}

func (t signingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	if err := t.signer.SignRequest(r); err != nil {
		return nil, err
	}
	return t.next.RoundTrip(r)
}
