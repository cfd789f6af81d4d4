package service_test

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
)

// TestCachesSeeOtherNodesEdits: an intake and an action read the halls
// and the deadline policy from this node's caches, and a hall added or a
// policy published on another node counts at this node's next intake.
func TestCachesSeeOtherNodesEdits(t *testing.T) {
	clk := clock.At(start)
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		nodeA, as := hall(t, st, clk)
		nodeB := service.New(st, clk, slog.New(slog.NewTextHandler(io.Discard, nil)), service.DefaultConfig())

		// Node A fills its caches.
		v, err := nodeA.Intake(as["shouli"], foodApplication(casework.Pickup))
		if err != nil || v.Case.Policy.Version != 1 {
			t.Fatalf("first intake: %+v, %v", v, err)
		}
		if _, err := nodeA.Act(as["shenpi"], v.Case.Number, casework.ActAccept, casework.Input{}, 0); err != nil {
			t.Fatalf("accept: %v", err)
		}

		// Node B publishes a policy and opens a street hall with a clerk.
		edit := service.PolicyEdit{BaseVersion: 1, AcceptDays: 3, PreReviewDays: 3, CorrectDays: 2, ArchiveDays: 2,
			Split: "13:00", HandoverSameDay: "16:30", HandoverNextDay: "09:30", Note: "另一节点发布"}
		if _, err := nodeB.PublishDeadlinePolicy(as["admin"], edit); err != nil {
			t.Fatalf("publish on node B: %v", err)
		}
		if err := nodeB.CreateHall(as["admin"], &org.Hall{Code: "JC-HXJD", Name: "江川区和心街道为民服务中心", Level: org.Street, ParentCode: "JC-ZWZX"}); err != nil {
			t.Fatalf("hall on node B: %v", err)
		}
		clerk := &org.User{Username: "shouli9", Name: "新街道收件员", Role: org.RoleIntake, HallCode: "JC-HXJD", Active: true, PasswordHash: "x"}
		if err := st.CreateUser(context.Background(), clerk); err != nil {
			t.Fatal(err)
		}

		// Node A's next intakes see both at once.
		v, err = nodeA.Intake(as["shouli"], foodApplication(casework.Pickup))
		if err != nil || v.Case.Policy.Version != 2 {
			t.Fatalf("intake after node B published: policy %+v, %v", v.Case.Policy, err)
		}
		v, err = nodeA.Intake(service.WithUser(context.Background(), clerk), foodApplication(casework.Pickup))
		if err != nil {
			t.Fatalf("intake at the hall node B added: %v", err)
		}
		if v.Case.HallCode != "JC-HXJD" || v.Case.Transit == nil || v.Case.Transit.To != "JC-ZWZX" {
			t.Fatalf("the new street's case: hall %s, transit %+v", v.Case.HallCode, v.Case.Transit)
		}
	})
}
