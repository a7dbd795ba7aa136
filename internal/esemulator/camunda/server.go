// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package camunda

import (
	"context"
	"errors"

	"github.com/optimize-tf/terraform-provider-optimize/internal/esemulator"
)

// StartBeside starts a twin beside an engine emulator listening as srv:
// the twin writes its web apps snapshots into srv (cfg.EngineURL is
// srv.URL unless set), follows its clock, finds the indices of
// cfg.Version there (Seed), and serves its controls (ControlHandler) on
// srv's address under ControlPrefix. The caller closes the twin.
func StartBeside(srv *esemulator.Server, cfg Config) (*Twin, URLs, error) {
	if cfg.EngineURL == "" {
		cfg.EngineURL = srv.URL
	}
	if cfg.Now == nil {
		cfg.Now = srv.Now
	}
	if err := Seed(context.Background(), cfg); err != nil {
		return nil, URLs{}, err
	}
	t, err := New(cfg)
	if err != nil {
		return nil, URLs{}, err
	}
	urls, err := t.Start()
	if err != nil {
		return nil, URLs{}, errors.Join(err, t.Close())
	}
	srv.HandleControls(ControlPrefix, t.ControlHandler())
	return t, urls, nil
}
