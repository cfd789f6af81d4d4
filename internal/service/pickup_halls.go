package service

import (
	"context"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/network"
)

// PickupChoice is a hall where an applicant may collect a result: one
// whose issuance desk hands results out (network.Scope.Issues).
type PickupChoice struct {
	Code string `json:"code" doc:"大厅编码"`
	Name string `json:"name" doc:"大厅名称"`
	// Default marks the hall the result goes to when none is chosen.
	Default bool `json:"default,omitempty" doc:"不选择时的领取大厅"`
	// Travels says a district department's result travels there from the
	// district hall on a transit run (a street or community hall).
	Travels bool `json:"travels,omitempty" doc:"区级部门的办理结果经交接批次送达该大厅"`
}

// pickupChoices returns the halls that issue results, in the halls'
// order, the default for an intake at hall marked ("" marks the district
// hall: an online application's default once it is fully online).
func (s *base) pickupChoices(ctx context.Context, hall string) ([]PickupChoice, error) {
	halls, err := s.store.Halls(ctx)
	if err != nil {
		return nil, err
	}
	def := ""
	if hall != "" {
		p, err := s.hallPlan(ctx, hall)
		if err != nil {
			return nil, err
		}
		in := casework.Intake{}
		if err := s.pickupAt(ctx, p, &in); err != nil {
			return nil, err
		}
		def = in.PickupHall
		if def == "" {
			def = hall
		}
	}
	var out []PickupChoice
	for _, h := range halls {
		sc, err := s.scopeOf(ctx, h.Code)
		if err != nil {
			return nil, err
		}
		if !sc.Issues {
			continue
		}
		c := PickupChoice{Code: h.Code, Name: h.Name, Travels: network.Travels(h.Level)}
		c.Default = h.Code == def || def == "" && !c.Travels && !hasDefault(out)
		out = append(out, c)
	}
	return out, nil
}

func hasDefault(cs []PickupChoice) bool {
	for _, c := range cs {
		if c.Default {
			return true
		}
	}
	return false
}

// PickupHalls returns the halls where the result of an intake at the
// signed-in clerk's hall (or an online application, for an applicant or
// agent) may be collected, the default marked: what the intake form and
// the online application offer as 领取大厅.
func (s *base) PickupHalls(ctx context.Context) ([]PickupChoice, error) {
	hall := ""
	if u := UserFrom(ctx); u != nil && u.Role.WorksAtHall() {
		hall = u.HallCode
	}
	return s.pickupChoices(ctx, hall)
}

// checkIssues refuses a chosen pickup hall that is not a hall of the
// district or does not hand out results.
func (s *base) checkIssues(ctx context.Context, hall string) error {
	in := casework.Intake{PickupHall: hall}
	if err := s.checkPickupHall(ctx, &in); err != nil {
		return err
	}
	sc, err := s.scopeOf(ctx, hall)
	if err != nil {
		return err
	}
	if !sc.Issues {
		return apperr.Field("pickup_hall", "所选大厅不出件，请选择其他领取大厅")
	}
	return nil
}
