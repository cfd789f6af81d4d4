package server_test

import (
	"net/http"
	"testing"
)

// A department system acting On-Behalf-Of a reviewer runs as that
// reviewer for casework only: the reviewer's password, tokens and page
// sessions stay the reviewer's own (issue 14 leftovers).
func TestClientOnBehalfOfRefusedPersonOnly(t *testing.T) {
	eachDesk(t, "2026-09-30T09:00:00+08:00", func(t *testing.T, d *caseDesk) {
		system := d.addClient(t, "社保经办系统", "RSJ", "cases:read,cases:act", 1000)
		obo := map[string]string{"On-Behalf-Of": "renshe"}
		const oldPassword, newPassword = "hall2026window", "changed2026pass"

		r, _ := d.sendAs(t, "POST", system.Key, "/api/v1/password",
			map[string]string{"old_password": oldPassword, "new_password": newPassword}, obo)
		wantDetail(t, r, http.StatusForbidden, "本人的操作")
		r, _ = d.sendAs(t, "POST", system.Key, "/api/v1/logout", nil, obo)
		wantDetail(t, r, http.StatusForbidden, "本人的操作")
		// The staff page's password form, with the key instead of a session.
		req, err := http.NewRequest("POST", d.base+"/password", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+system.Key)
		req.Header.Set("On-Behalf-Of", "renshe")
		res, err := d.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("POST /password (page) with a client key: %d, want 403", res.StatusCode)
		}

		// Nothing changed: the old password signs in, the reviewer's own
		// token still works, and the client still reads its cases.
		if tok := d.login(t, "renshe", oldPassword); tok == "" {
			t.Error("the old password no longer signs in")
		}
		mustStatus(t, d.get(t, "renshe", "/api/v1/me"), http.StatusOK)
		r, _ = d.sendAs(t, "GET", system.Key, "/api/v1/cases", nil, nil)
		mustStatus(t, r, http.StatusOK)
	})
}
