// Copyright (c) terraform-provider-optimize authors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/action"
)

// actionProgress sends an action's progress to Terraform while it takes
// it. After Ctrl-C Terraform takes no progress event (server.go): what
// happens then is kept for the final diagnostic (interruptedText).
type actionProgress struct {
	stop      *stopSignal
	resp      *action.InvokeResponse
	afterStop []string
}

func (p *actionProgress) send(message string) {
	switch {
	case p.stop.Stopped():
		p.afterStop = append(p.afterStop, message)
	case p.resp.SendProgress != nil:
		p.resp.SendProgress(action.InvokeProgressEvent{Message: message})
	}
}

// afterStopText is what happened after the interrupt, as the opening of
// the final diagnostic ("" when nothing did).
func afterStopText(afterStop []string) string {
	if len(afterStop) == 0 {
		return ""
	}
	return "After the interrupt:\n- " + strings.Join(afterStop, "\n- ") + "\n\n"
}
