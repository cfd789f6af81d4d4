package casework_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/identity"
)

// TestIntakeValidation: what the front desk may not take in (R1–R4, R15,
// deferral, identity), each refused as invalid with its field named.
func TestIntakeValidation(t *testing.T) {
	now := at(2026, 3, 2, 10, 0)
	tests := []struct {
		name   string
		in     casework.Intake
		change func(*casework.Intake)
		field  string
		says   string // the message names this
	}{
		{"material not in the handbook (R15)", promisedIntake(), func(in *casework.Intake) {
			in.Materials = append(in.Materials, casework.MaterialInput{Code: "R15", Status: casework.Provided})
		}, "materials", "R15"},
		{"required material missing", promisedIntake(), func(in *casework.Intake) {
			in.Materials = append(in.Materials[:2:2], in.Materials[3:]...) // without M03
		}, "materials", "与食品经营相适应的主要设备设施、经营布局、操作流程等文件"},
		{"two required materials missing", instantIntake(instantItem), func(in *casework.Intake) {
			in.Materials = nil
		}, "materials", "社会保障卡补换申请表、居民身份证"},
		{"non-deferrable material deferred", promisedIntake(), func(in *casework.Intake) {
			in.Materials[0].Status = casework.Deferred
		}, "materials", "食品经营许可申请书"},
		{"deferral on an instant item", instantIntake(instantItem), func(in *casework.Intake) {
			in.Materials[1].Status = casework.Deferred
		}, "materials", "居民身份证"},
		{"material given twice", promisedIntake(), func(in *casework.Intake) {
			in.Materials = append(in.Materials, casework.MaterialInput{Code: "M01", Status: casework.Provided})
		}, "materials", "M01"},
		{"material status unknown", promisedIntake(), func(in *casework.Intake) {
			in.Materials[2].Status = "maybe"
		}, "materials", "M03"},
		{"person for an item of organisations", promisedIntake(), func(in *casework.Intake) {
			in.Applicant = person()
		}, "applicant.kind", ""},
		{"organisation for an item of persons", instantIntake(instantItem), func(in *casework.Intake) {
			in.Applicant = company()
		}, "applicant.kind", ""},
		{"unknown applicant kind", promisedIntake(), func(in *casework.Intake) {
			in.Applicant.Kind = "robot"
		}, "applicant.kind", ""},
		{"bad resident ID check character", instantIntake(instantItem), func(in *casework.Intake) {
			in.Applicant.IDNumber = "110105194912310021"
		}, "applicant.id_number", ""},
		{"resident ID with an impossible birth date", instantIntake(instantItem), func(in *casework.Intake) {
			in.Applicant.IDNumber = "110105194902301234"
		}, "applicant.id_number", ""},
		{"bad credit code check character", promisedIntake(), func(in *casework.Intake) {
			in.Applicant.IDNumber = "91320120MA1XK5T2QE"
		}, "applicant.id_number", ""},
		{"entity with a resident ID", promisedIntake(), func(in *casework.Intake) {
			in.Applicant.IDType, in.Applicant.IDNumber = identity.ResidentID, personID
		}, "applicant.id_type", ""},
		{"person with a credit code", instantIntake(instantItem), func(in *casework.Intake) {
			in.Applicant.IDType, in.Applicant.IDNumber = identity.CreditCode, companyCode
		}, "applicant.id_type", ""},
		{"unknown ID type", instantIntake(instantItem), func(in *casework.Intake) {
			in.Applicant.IDType = "library_card"
		}, "applicant.id_type", ""},
		{"no name", instantIntake(instantItem), func(in *casework.Intake) {
			in.Applicant.Name = "  "
		}, "applicant.name", ""},
		{"bad phone", instantIntake(instantItem), func(in *casework.Intake) {
			in.Applicant.Phone = "12345"
		}, "applicant.phone", ""},
		{"mobile with a wrong prefix", instantIntake(instantItem), func(in *casework.Intake) {
			in.Applicant.Phone = "12912345678"
		}, "applicant.phone", ""},
		{"mail-in for an instant item (R4)", instantIntake(instantItem), func(in *casework.Intake) {
			in.Channel = casework.ByMail
		}, "channel", ""},
		{"online applications go through the web hall", promisedIntake(), func(in *casework.Intake) {
			in.Channel = casework.Online
		}, "channel", ""},
		{"unknown channel", promisedIntake(), func(in *casework.Intake) {
			in.Channel = "fax"
		}, "channel", ""},
		{"result by mail for an instant item", instantIntake(instantItem), func(in *casework.Intake) {
			in.Delivery = mailTo()
		}, "delivery.method", ""},
		{"result by mail without an address", promisedIntake(), func(in *casework.Intake) {
			in.Delivery = &casework.Delivery{Method: casework.Mail}
		}, "delivery.address", ""},
		{"result by mail with a bad recipient phone", promisedIntake(), func(in *casework.Intake) {
			in.Delivery = &casework.Delivery{Method: casework.Mail, Address: "江川区滨河路18号", Phone: "110"}
		}, "delivery.phone", ""},
		{"unknown delivery method", promisedIntake(), func(in *casework.Intake) {
			in.Delivery = &casework.Delivery{Method: "drone"}
		}, "delivery.method", ""},
		{"agent that is an organisation", promisedIntake(), func(in *casework.Intake) {
			agent := company()
			in.Agent = &agent
		}, "agent.kind", ""},
		{"agent with a bad ID", promisedIntake(), func(in *casework.Intake) {
			agent := person()
			agent.IDNumber = "320120198506121231"
			in.Agent = &agent
		}, "agent.id_number", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			tt.change(&in)
			c, ev, docs, err := casework.NewCase(in, item(t, in.ItemCode), intakeClerk, env(now))
			wantField(t, err, tt.field)
			if c != nil || ev != nil || docs != nil {
				t.Errorf("a refused intake returned a case %v, event %v or documents %v", c, ev, docs)
			}
			if tt.says != "" {
				found := strings.Contains(apperr.MessageOf(err), tt.says)
				for _, f := range apperr.FieldsOf(err) {
					found = found || strings.Contains(f.Message, tt.says)
				}
				if !found {
					t.Errorf("error %v (fields %v) does not name %q", err, apperr.FieldsOf(err), tt.says)
				}
			}
		})
	}
}

// TestIntakeCollectsEveryProblem: one refusal lists every problem, so the
// desk can tell the applicant in one go (行政许可法 art. 32).
func TestIntakeCollectsEveryProblem(t *testing.T) {
	in := promisedIntake()
	in.Materials = in.Materials[:1]
	in.Applicant.Phone = ""
	in.Channel = casework.Online
	_, _, _, err := casework.NewCase(in, item(t, promisedItem), intakeClerk, env(at(2026, 3, 2, 10, 0)))
	for _, f := range []string{"channel", "applicant.phone", "materials"} {
		wantField(t, err, f)
	}
	for _, f := range apperr.FieldsOf(err) {
		if f.Field == "materials" && (!strings.Contains(f.Message, "营业执照或者其他主体资格证明文件") || !strings.Contains(f.Message, "食品安全管理人员任命文件及培训考核证明")) {
			t.Errorf("materials: %q does not list every missing material", f.Message)
		}
	}
}

// TestIntakeOnlyAtTheDesk: only the intake desk takes cases in (R1).
func TestIntakeOnlyAtTheDesk(t *testing.T) {
	for _, a := range actorsFor("SCJG") {
		if a == intakeClerk {
			continue
		}
		c, _, _, err := casework.NewCase(promisedIntake(), item(t, promisedItem), a, env(at(2026, 3, 2, 10, 0)))
		wantCode(t, err, apperr.Forbidden)
		if c != nil {
			t.Errorf("%s took a case in", actorName(a))
		}
	}
}

// TestIntakeRecords checks what a valid intake records: normalised ID
// numbers, the agent, the delivery choice, and an event that does not
// carry the applicant's ID.
func TestIntakeRecords(t *testing.T) {
	now := at(2026, 3, 2, 10, 0)

	in := instantIntake(instantItem)
	in.Applicant.IDNumber = " 11010519491231002x "
	in.Applicant.Name = " 王建国 "
	agent := casework.Party{Kind: casework.Person, Name: "陈代办", IDType: identity.ResidentID, IDNumber: agentID, Phone: "13700001111"}
	in.Agent = &agent
	c, ev, docs, err := casework.NewCase(in, item(t, instantItem), intakeClerk, env(now))
	if err != nil {
		t.Fatal(err)
	}
	if c.Applicant.IDNumber != personID || c.Applicant.Name != "王建国" {
		t.Errorf("applicant %+v: ID upper-cased and trimmed, name trimmed", c.Applicant)
	}
	if c.Agent == nil || c.Agent.IDNumber != agentID || c.Agent == &agent {
		t.Errorf("agent = %+v", c.Agent)
	}
	if c.Delivery.Method != casework.Pickup || c.Channel != casework.AtWindow || c.State != casework.Received || !c.Delegated {
		t.Errorf("case = %+v", c)
	}
	if docs != nil || ev.Type != casework.ActIntake || ev.To != casework.Received || ev.From != "" || !ev.At.Equal(now) || ev.Desk != intakeClerk.Desk {
		t.Errorf("event = %+v, documents %v", ev, docs)
	}
	if strings.Contains(string(ev.Details), "1101051949") || !json.Valid(ev.Details) {
		t.Errorf("intake details %s carry the applicant's ID number", ev.Details)
	}
	// The agent shows masked on the receipt notice.
	var receipt casework.ReceiptData
	docData(t, casework.IntakeDocuments(c)[0], &receipt)
	if receipt.Agent == nil || receipt.Agent.IDNumber != identity.Mask(agentID) {
		t.Errorf("receipt agent = %+v", receipt.Agent)
	}

	// A credit code typed in lower case.
	pin := promisedIntake()
	pin.Applicant.IDNumber = strings.ToLower(companyCode)
	pin.Channel = casework.ByMail
	pin.Delivery = &casework.Delivery{Method: casework.Mail, Address: "  江川区滨河路18号味香餐饮  "}
	p, _, _, err := casework.NewCase(pin, item(t, promisedItem), intakeClerk, env(now))
	if err != nil {
		t.Fatal(err)
	}
	if p.Applicant.IDNumber != companyCode {
		t.Errorf("credit code %q, want %q", p.Applicant.IDNumber, companyCode)
	}
	// Mail delivery defaults the recipient to the applicant.
	if p.Delivery.Address != "江川区滨河路18号味香餐饮" || p.Delivery.Recipient != company().Name || p.Delivery.Phone != company().Phone || p.Channel != casework.ByMail {
		t.Errorf("delivery = %+v", p.Delivery)
	}
	// The case keeps the item's version, department and limits.
	it := item(t, promisedItem)
	if p.ItemCode != it.Code || p.ItemVersion != it.Version || p.ItemName != it.Name || p.DepartmentCode != "SCJG" || p.PromisedDays != 5 || p.Delegated {
		t.Errorf("case item fields = %s v%d %s %s %d", p.ItemCode, p.ItemVersion, p.ItemName, p.DepartmentCode, p.PromisedDays)
	}
	if len(p.Materials) != len(it.Materials) {
		t.Errorf("case lists %d materials, the handbook %d", len(p.Materials), len(it.Materials))
	}
}
