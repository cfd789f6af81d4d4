package service_test

import (
	"context"
	"testing"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/network"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
)

// TestOneClerkTwoDesks: the street centre's clerk (吴婷, intake and
// issuance) takes a case in at the intake desk, then switches to the
// issuance desk and hands the result out; each event records the role it
// was taken in. Acting at the intake desk she may not take the result in;
// a role she does not hold is refused, and so is any switch of a one-role
// clerk.
func TestOneClerkTwoDesks(t *testing.T) {
	storetest.Each(t, clock.At(start), func(t *testing.T, st *store.Store) {
		svc, as := hall(t, st, clock.At(start))
		web := func(ctx context.Context) context.Context {
			return service.WithRequest(ctx, service.Request{ID: "t", Channel: "web"})
		}
		clerk := web(as["shouli2"])
		if u := service.UserFrom(clerk); u.Role != "intake" || !u.Holds("issuance") {
			t.Fatalf("the clerk signs in as %s holding %v", u.Role, u.Roles)
		}
		in := benchIntake
		it, err := svc.Item(context.Background(), in.ItemCode, 0)
		if err != nil {
			t.Fatal(err)
		}
		in.Materials = nil
		for _, m := range it.Materials {
			if m.Required {
				in.Materials = append(in.Materials, casework.MaterialInput{Code: m.Code, Status: casework.Provided})
			}
		}
		v, err := svc.Intake(clerk, in)
		if err != nil {
			t.Fatalf("intake at the intake desk: %v", err)
		}
		n := v.Case.Number
		// Her paper travels to the district hall in a batch (issue 15)
		// before the department may sign for it.
		b, err := svc.PrepareBatch(clerk, service.PrepareBatchInput{To: demo.DistrictHall, Confirm: true})
		if err != nil {
			t.Fatalf("batch at the street: %v", err)
		}
		if _, err := svc.SignOutBatch(clerk, b.Number, service.SignOutInput{Courier: "王师傅", Confirm: true}); err != nil {
			t.Fatalf("sign-out at the street: %v", err)
		}
		if _, err := svc.SignInBatch(web(as["shouli"]), b.Number, service.SignInInput{Confirm: true}); err != nil {
			t.Fatalf("sign-in at the district hall: %v", err)
		}
		// The item is one the bureau delegates to the street's initial
		// review (委托初审, the demo's 陈静) before the department accepts.
		if _, err := svc.Act(as["chushen"], n, casework.ActPassInitialReview, casework.Input{}, 0); err != nil {
			t.Fatalf("initial review at the street: %v", err)
		}
		for _, step := range wholeCase[:4] { // the department, up to the result handed to the desk
			if _, err := svc.Act(as[step.who], n, step.action, step.in, 0); err != nil {
				t.Fatalf("%s: %v", step.action, err)
			}
		}

		// At the intake desk the result is not hers to take in.
		if _, err := svc.Act(clerk, n, casework.ActAcceptResult, casework.Input{}, 0); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("accept-result acting as intake: %v, want forbidden", err)
		}
		// Desks she does not hold.
		if _, err := svc.SwitchDesk(clerk, "reviewer"); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("switch to a role not held: %v, want forbidden", err)
		}
		if _, err := svc.SwitchDesk(web(as["shouli"]), "issuance"); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("a one-role clerk switching desks: %v, want forbidden", err)
		}
		if _, err := svc.SwitchDesk(clerk, "boss"); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("switch to an unknown role: %v, want invalid", err)
		}

		u, err := svc.SwitchDesk(clerk, "issuance")
		if err != nil {
			t.Fatal(err)
		}
		issuing := web(service.WithUser(context.Background(), u))
		// The result travels to her street centre in a batch (issue 15
		// item 3); her issuance desk signs it in.
		rb, err := svc.PrepareBatch(web(as["chujian"]), service.PrepareBatchInput{Cargo: network.Result, To: demo.BinheHall, Confirm: true})
		if err != nil {
			t.Fatalf("result batch at the district hall: %v", err)
		}
		if _, err := svc.SignOutBatch(web(as["chujian"]), rb.Number, service.SignOutInput{Courier: "王师傅", Confirm: true}); err != nil {
			t.Fatalf("result sign-out: %v", err)
		}
		if _, err := svc.SignInBatch(issuing, rb.Number, service.SignInInput{Confirm: true}); err != nil {
			t.Fatalf("result sign-in at the street: %v", err)
		}
		if _, err := svc.Act(issuing, n, casework.ActAcceptResult, casework.Input{}, 0); err != nil {
			t.Fatalf("accept-result at the issuance desk: %v", err)
		}
		if _, err := svc.Act(issuing, n, casework.ActDeliver, wholeCase[5].in, 0); err != nil {
			t.Fatalf("deliver at the issuance desk: %v", err)
		}
		// Back at the issuance desk she may no longer take cases in.
		if _, err := svc.Intake(issuing, in); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("intake acting as issuance: %v, want forbidden", err)
		}

		v, err = svc.Case(as["jiandu"], n)
		if err != nil {
			t.Fatal(err)
		}
		want := map[casework.Action]string{
			casework.ActIntake: "intake", casework.ActAccept: "reviewer",
			casework.ActAcceptResult: "issuance", casework.ActDeliver: "issuance",
		}
		seen := 0
		for _, e := range v.Events {
			if r, ok := want[e.Type]; ok {
				seen++
				if e.Role != r {
					t.Errorf("event %s recorded role %q, want %q", e.Type, e.Role, r)
				}
				if (r == "intake" || r == "issuance") && e.Actor != "shouli2" {
					t.Errorf("event %s by %s, want the clerk", e.Type, e.Actor)
				}
			}
		}
		if seen != len(want) {
			t.Fatalf("found %d of the %d events", seen, len(want))
		}
	})
}

// TestAdminGivesExtraRoles: the bureau admin gives an issuance clerk the
// intake desk too; combinations org refuses are refused with the field;
// a department admin gives its reviewers no other role.
func TestAdminGivesExtraRoles(t *testing.T) {
	storetest.Each(t, clock.At(start), func(t *testing.T, st *store.Store) {
		svc, as := hall(t, st, clock.At(start))
		u, err := svc.UpdateUser(as["admin"], "chujian", service.AccountChange{Name: "李文静", Role: "issuance",
			ExtraRoles: []org.Role{"intake"}, HallCode: "JC-ZWZX"})
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := svc.ManagedUser(as["admin"], "chujian"); got == nil || !got.Holds("intake") || got.Role != "issuance" || u.RolesLabel() != "综合出件、综合受理" {
			t.Fatalf("after the change: %+v", got)
		}
		_, err = svc.UpdateUser(as["admin"], "chujian", service.AccountChange{Name: "李文静", Role: "issuance",
			ExtraRoles: []org.Role{"supervisor"}, HallCode: "JC-ZWZX"})
		if f := apperr.FieldsOf(err); len(f) == 0 || f[0].Field != "roles" {
			t.Fatalf("issuance with supervisor: %v", err)
		}
		_, err = svc.UpdateUser(as["bumen"], "shenpi", service.AccountChange{Name: "王建国", Role: "reviewer",
			ExtraRoles: []org.Role{"intake"}, DepartmentCode: "SCJG", HallCode: "JC-ZWZX"})
		if !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("a department admin giving a desk: %v", err)
		}
		// A reviewer who also works a hall's desk is the bureau's to manage.
		if _, err := svc.UpdateUser(as["admin"], "shenpi", service.AccountChange{Name: "王建国", Role: "reviewer",
			ExtraRoles: []org.Role{"intake"}, DepartmentCode: "SCJG", HallCode: "JC-ZWZX"}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.ManagedUser(as["bumen"], "shenpi"); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("the department admin managing a two-desk reviewer: %v", err)
		}
	})
}
