package casework

import (
	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/catalog"
)

// InstantFinish is what the window decides for an instant case while the
// applicant waits (R7).
type InstantFinish struct {
	Outcome        Outcome `json:"outcome" enum:"approve,deny" doc:"决定：approve 准予，deny 不予"`
	ResultDocument string  `json:"result_document" maxLength:"200" doc:"结果文书或证照名称及编号"`
	Reason         string  `json:"reason,omitempty" maxLength:"500" doc:"不予许可的理由（不予时必填）"`
}

// PlannedStep is one action of a flow of several, with its input.
type PlannedStep struct {
	Action Action
	Input  Input
}

// InstantSteps returns the steps that finish an instant case at the window
// in one flow, each still its own event: the decision, the handover to the
// person present — the agent if one came, else the applicant, whose
// identity the intake desk checked in this visit, so nobody types the ID
// again — and the delivery receipt archived at once, since it is signed at
// the desk that keeps it.
func InstantSteps(c *Case, f InstantFinish) ([]PlannedStep, error) {
	if c.Kind != catalog.Instant {
		return nil, apperr.New(apperr.Conflict, "办件 %s 是承诺件，不能当场办结", c.Number)
	}
	if c.State != Received {
		return nil, apperr.New(apperr.Conflict, "办件 %s 当前为「%s」，只有已收件的即办件可以当场办结", c.Number, c.StateLabel())
	}
	signer := c.Applicant
	if c.Agent != nil {
		signer = *c.Agent
	}
	return []PlannedStep{
		{ActDecide, Input{Outcome: f.Outcome, ResultDocument: f.ResultDocument, Reason: f.Reason, Confirm: true}},
		{ActDeliver, Input{Signer: signer.Name, SignerIDType: signer.IDType, SignerIDNumber: signer.IDNumber}},
		{ActArchive, Input{}},
	}, nil
}
