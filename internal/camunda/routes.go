// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package camunda

import (
	"fmt"

	"github.com/optimize-tf/terraform-provider-optimize/internal/platform"
)

// Where each API generation serves backups and exporting (camunda-facts
// §2): the collection of a component's backups (POST takes one, GET lists,
// GET /{id} reads, DELETE /{id} deletes) and the exporting resource
// (POST /pause?soft=true, POST /resume, and on /v2 GET the state).
//
//	8.6/8.7 component actuators   8.8/8.9 management actuators     8.10 REST
//	Operate  {operate}/actuator/backups
//	Tasklist {tasklist}/actuator/backups
//	Web apps                      {mgmt}/actuator/backupHistory     {rest}/v2/backups/history
//	Zeebe    {zeebe}/actuator/backups {mgmt}/actuator/backupRuntime {rest}/v2/backups/runtime
//	exporting {zeebe}/actuator/exporting {mgmt}/actuator/exporting {rest}/v2/exporting

// route is a component's backups collection, or the exporting resource.
type route struct {
	component string // as messages name it
	url       string
	rest      bool
}

// componentName is how messages name a component.
func componentName(component platform.Component) string {
	switch component {
	case platform.Zeebe:
		return "Zeebe"
	case platform.Webapps:
		return "the web apps"
	case platform.Operate:
		return "Operate"
	case platform.Tasklist:
		return "Tasklist"
	}
	return string(component)
}

// backups is the collection of component's backups.
func (c *Client) backups(component platform.Component, operation string) (route, error) {
	var endpoint, path string
	switch {
	case c.api == platform.ComponentActuators && component == platform.Operate:
		endpoint, path = c.cfg.OperateEndpoint, "/actuator/backups"
	case c.api == platform.ComponentActuators && component == platform.Tasklist:
		endpoint, path = c.cfg.TasklistEndpoint, "/actuator/backups"
	case c.api == platform.ComponentActuators && component == platform.Zeebe:
		endpoint, path = c.cfg.ZeebeEndpoint, "/actuator/backups"
	case c.api == platform.ManagementActuators && component == platform.Webapps:
		endpoint, path = c.cfg.ManagementEndpoint, "/actuator/backupHistory"
	case c.api == platform.ManagementActuators && component == platform.Zeebe:
		endpoint, path = c.cfg.ManagementEndpoint, "/actuator/backupRuntime"
	case c.api == platform.OrchestrationREST && component == platform.Webapps:
		endpoint, path = restBase(c.cfg.RESTEndpoint), "/v2/backups/history"
	case c.api == platform.OrchestrationREST && component == platform.Zeebe:
		endpoint, path = restBase(c.cfg.RESTEndpoint), "/v2/backups/runtime"
	default:
		return route{}, &UnsupportedError{Operation: fmt.Sprintf("%s %s's backup", operation, componentName(component)), Version: c.cfg.Version, API: c.api}
	}
	if endpoint == "" {
		return route{}, &NotConfiguredError{Component: componentName(component)}
	}
	return route{component: componentName(component), url: join(endpoint, path), rest: c.api == platform.OrchestrationREST}, nil
}

// exporting is Zeebe's exporting resource.
func (c *Client) exporting() route {
	switch c.api {
	case platform.ComponentActuators:
		return route{component: "Zeebe", url: join(c.cfg.ZeebeEndpoint, "/actuator/exporting")}
	case platform.ManagementActuators:
		return route{component: "Zeebe", url: join(c.cfg.ManagementEndpoint, "/actuator/exporting")}
	}
	return route{component: "Zeebe", url: join(restBase(c.cfg.RESTEndpoint), "/v2/exporting"), rest: true}
}
