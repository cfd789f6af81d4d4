package server_test

import (
	"net/http"
	"net/url"
	"slices"
	"testing"
)

// TestCaseSearchAPI: GET /api/v1/cases searches as the page does, by the
// applicant's whole phone, the days received, the item and the receiving
// clerk; bad search input names its parameter.
func TestCaseSearchAPI(t *testing.T) {
	eachDesk(t, "2026-09-30T09:00:00+08:00", func(t *testing.T, d *caseDesk) {
		food := d.take(t, foodLicence())
		card := d.take(t, socialSecurityCard())
		numbers := func(q url.Values) []string {
			var out []string
			for _, c := range d.list(t, "jiandu", "?"+q.Encode()) {
				out = append(out, c.Number)
			}
			return out
		}
		for _, c := range []struct {
			q    url.Values
			want []string
		}{
			{url.Values{"phone": {"+86 138-0013-8000"}}, []string{card.Number}},
			{url.Values{"phone": {"13912345678"}, "item": {"SCJG-XK-001"}, "clerk": {"shouli"}}, []string{food.Number}},
			{url.Values{"from": {"2026-09-30"}, "to": {"2026-09-30"}, "department": {"RSJ"}}, []string{card.Number}},
			{url.Values{"from": {"2026-10-01"}}, nil},
			{url.Values{"clerk": {"shouli2"}}, nil},
		} {
			if got := numbers(c.q); !slices.Equal(got, c.want) {
				t.Errorf("%s: %v, want %v", c.q.Encode(), got, c.want)
			}
		}
		for q, field := range map[string]string{"?phone=8000": "phone", "?from=2026-9-30": "from", "?from=2026-10-02&to=2026-10-01": "to"} {
			p := wantRefusal(t, d.get(t, "jiandu", "/api/v1/cases"+q), http.StatusUnprocessableEntity, "invalid")
			if len(p.Errors) == 0 || p.Errors[0].Field != field {
				t.Errorf("%s: errors %+v, want %s", q, p.Errors, field)
			}
		}
	})
}
