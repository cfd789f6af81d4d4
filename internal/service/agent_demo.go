package service

import (
	"context"
	"fmt"
	"slices"

	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/catalog"
	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/org"
)

// LoadDemoAgentIntakes takes in the demo's cases brought by an agent
// (demo.AgentIntakes), each through the intake use case as its clerk: the
// community station's agent then carries an applicant with an open case
// (issue 15 item 5). Run once, after LoadDemo loaded the district.
func (s *Service) LoadDemoAgentIntakes(ctx context.Context, intakes []demo.AgentIntake) error {
	if _, err := require(ctx, "加载演示数据", org.RoleAdmin); err != nil {
		return err
	}
	d := demo.Load()
	for _, x := range intakes {
		clerk, err := s.store.UserByUsername(ctx, x.Clerk)
		if err != nil {
			return fmt.Errorf("demo agent intake: clerk %s: %w", x.Clerk, err)
		}
		acc, err := s.store.AccountByPhone(ctx, x.Applicant)
		if err != nil {
			return fmt.Errorf("demo agent intake: applicant %s: %w", x.Applicant, err)
		}
		i := slices.IndexFunc(d.Items, func(it catalog.Item) bool { return it.Code == x.Item })
		if i < 0 {
			return fmt.Errorf("demo agent intake: no item %s", x.Item)
		}
		it := &d.Items[i]
		in := casework.Intake{ItemCode: it.Code, Channel: casework.AtWindow, Applicant: acc.Party(), AgentUser: x.Agent}
		for _, m := range it.Materials {
			if m.Required {
				in.Materials = append(in.Materials, casework.MaterialInput{Code: m.Code, Status: casework.Provided})
			}
		}
		cctx := WithRequest(WithUser(ctx, clerk), Request{ID: "demo", Channel: "web"})
		if _, err := s.Casework.Intake(cctx, in); err != nil {
			return fmt.Errorf("demo agent intake of %s: %w", x.Item, err)
		}
	}
	return nil
}
