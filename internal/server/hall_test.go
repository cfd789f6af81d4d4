package server_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/service"
)

// addClerk adds a desk clerk of hall (as `onewindow user add --role R
// --hall H` would) and signs it in.
func (d *caseDesk) addClerk(t *testing.T, username string, role org.Role, hall string) {
	t.Helper()
	const password = "street2026desk"
	u := &org.User{Username: username, Name: "街道" + role.Label(), Role: role, HallCode: hall}
	if err := d.svc.AddUser(service.AsSystem(context.Background()), u, password); err != nil {
		t.Fatalf("add %s: %v", username, err)
	}
	d.tokens[username] = d.login(t, username, password)
}

// wrongHall checks that user posting action on the case is refused with a
// 403 that names both halls by their names (not their codes), that the
// user's allowed_actions do not offer it, and that the case is unchanged.
func (d *caseDesk) wrongHall(t *testing.T, user, number string, action casework.Action) {
	t.Helper()
	before := d.caseOf(t, "admin", number)
	if offered := d.caseOf(t, user, number).AllowedActions; slices.Contains(offered, string(action)) {
		t.Errorf("%s is offered %s on a case of another hall: %q", user, action, offered)
	}
	p := wantRefusal(t, d.act(t, user, number, action, nil), http.StatusForbidden, "forbidden")
	for _, name := range []string{"江川区政务服务中心", "江川区新桥街道为民服务中心"} {
		if !strings.Contains(p.Detail, name) {
			t.Errorf("%s by %s: detail %q does not name %s", action, user, p.Detail, name)
		}
	}
	if strings.Contains(p.Detail, demo.DistrictHall) || strings.Contains(p.Detail, demo.XinqiaoHall) {
		t.Errorf("%s by %s: detail %q shows a hall code", action, user, p.Detail)
	}
	sameAs(t, before, d.caseOf(t, "admin", number), string(action)+" by "+user)
}

// TestCaseActionsBelongToTheCasesHall reproduces issue 10's defect 4: a
// street centre's issuance clerk could accept the result of, deliver and
// archive a case of the district hall, and its intake clerk could withdraw
// one. Desk actions belong to the hall the case is at; the district hall's
// own clerks still take them.
func TestCaseActionsBelongToTheCasesHall(t *testing.T) {
	eachDesk(t, "2026-09-30T09:00:00+08:00", func(t *testing.T, d *caseDesk) {
		d.addClerk(t, "xq-chujian", org.RoleIssuance, demo.XinqiaoHall)
		d.addClerk(t, "xq-shouli", org.RoleIntake, demo.XinqiaoHall)

		promised := d.take(t, foodLicence()).Number // at the district hall, by shouli
		if c := d.caseOf(t, "xq-chujian", promised); c.Hall != demo.DistrictHall || c.PickupHall != demo.DistrictHall {
			t.Errorf("the case shows hall %q, pickup_hall %q; want both the district hall's", c.Hall, c.PickupHall)
		}
		d.wrongHall(t, "xq-shouli", promised, casework.ActWithdraw)
		for _, a := range []casework.Action{casework.ActHandover, casework.ActAccept, casework.ActDecide, casework.ActSubmitResult} {
			d.mustAct(t, "shenpi", promised, a, nil)
		}
		d.wrongHall(t, "xq-chujian", promised, casework.ActRefuseResult)
		d.wrongHall(t, "xq-chujian", promised, casework.ActAcceptResult)
		d.mustAct(t, "chujian", promised, casework.ActAcceptResult, nil)
		d.wrongHall(t, "xq-chujian", promised, casework.ActDeliver)
		d.mustAct(t, "chujian", promised, casework.ActDeliver, nil)
		d.wrongHall(t, "xq-chujian", promised, casework.ActArchive)
		d.mustAct(t, "chujian", promised, casework.ActArchive, nil)

		// An instant case is done at the window of the hall that took it in.
		instant := d.take(t, socialSecurityCard()).Number
		d.wrongHall(t, "xq-shouli", instant, casework.ActDecide)
		d.wrongHall(t, "xq-shouli", instant, casework.ActWithdraw)
		d.mustAct(t, "shouli", instant, casework.ActDecide, nil)
		d.wrongHall(t, "xq-shouli", instant, casework.ActDeliver)
		d.wrongHall(t, "xq-chujian", instant, casework.ActDeliver)
		d.mustAct(t, "chujian", instant, casework.ActDeliver, nil)
		d.wrongHall(t, "xq-shouli", instant, casework.ActArchive)
		d.mustAct(t, "shouli", instant, casework.ActArchive, nil)
	})
}
