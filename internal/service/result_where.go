package service

import (
	"context"
	"errors"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/network"
)

// resultNotHere turns the refusal of a pickup hall's check of a result
// still travelling from the district hall (accept-result, refuse-result)
// into one that says where the result is: at the district hall's issuance
// desk waiting for a batch, in a batch not yet signed out, or on the road.
// Any other error is returned as it is. It runs after the refused change's
// transaction, as the halls' names do.
func (s *Casework) resultNotHere(ctx context.Context, number string, action casework.Action, err error) error {
	var se *casework.StateError
	if action != casework.ActAcceptResult && action != casework.ActRefuseResult || !errors.As(err, &se) {
		return err
	}
	c, cerr := s.store.Case(ctx, number)
	if cerr != nil || !c.ResultInTransit() {
		return err
	}
	t := c.ResultTransit
	names := s.hallNames(ctx)
	from, to := nameOr(names, t.From), nameOr(names, t.To)
	where := "在" + from + "综合出件窗口，等待编入送往" + to + "的交接批次"
	b, berr := s.store.TripBatch(ctx, number, network.Result, t.Trip)
	switch {
	case berr != nil:
		return err
	case b != nil && b.State == network.Prepared:
		where = "已编入交接批次 " + b.Number + "（" + b.State.Label() + "），仍在" + from
	case b != nil && b.State == network.InTransit:
		where = "在交接批次 " + b.Number + " 中，" + b.OutAt.In(clock.Shanghai).Format("1月2日 15:04") + "由" + b.Courier + "从" + from + "送往" + to + "途中"
	}
	out := *se
	out.Err = apperr.New(apperr.Conflict, "办理结果尚未送达%s：%s；交接批次在%s签收后方可「%s」", to, where, to, action.Label())
	return &out
}
