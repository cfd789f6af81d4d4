package idcard_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/onewindow/onewindow/internal/idcard"
)

// The simulator speaks the protocol: no card is 404 no_card, an unplugged
// reader 503 no_reader, a placed card 200 with its fields; only the
// allowed origin may read it from a page.
func TestSimulatorSpeaksTheProtocol(t *testing.T) {
	sim := idcard.NewSimulator("http://127.0.0.1:8080")
	srv := httptest.NewServer(sim)
	defer srv.Close()
	get := func(path, origin string) (*http.Response, map[string]any) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var body map[string]any
		json.NewDecoder(res.Body).Decode(&body)
		return res, body
	}
	if res, body := get(idcard.CardPath, ""); res.StatusCode != http.StatusNotFound || body["error"] != idcard.NoCard {
		t.Errorf("no card: %d %v", res.StatusCode, body)
	}
	sim.Unplug(false)
	if res, body := get(idcard.CardPath, ""); res.StatusCode != http.StatusServiceUnavailable || body["error"] != idcard.NoReader {
		t.Errorf("no reader: %d %v", res.StatusCode, body)
	}
	if _, body := get(idcard.StatusPath, ""); body["reader"] != false {
		t.Errorf("status of an unplugged reader: %v", body)
	}
	sim.Unplug(true)
	card := idcard.Card{Name: "王小明", Sex: "男", Nation: "汉", Birth: "1949-12-31", Address: "北京市朝阳区建国路1号",
		IDNumber: "11010519491231002X", Issuer: "北京市公安局朝阳分局", ValidFrom: "2015-01-01", ValidTo: "2035-01-01"}
	sim.Place(&card)
	res, body := get(idcard.CardPath, "http://127.0.0.1:8080")
	if res.StatusCode != http.StatusOK || body["name"] != "王小明" || body["id_number"] != "11010519491231002X" {
		t.Errorf("a card: %d %v", res.StatusCode, body)
	}
	if got := res.Header.Get("Access-Control-Allow-Origin"); got != "http://127.0.0.1:8080" {
		t.Errorf("allowed origin answered %q", got)
	}
	if res, _ := get(idcard.CardPath, "https://evil.example"); res.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Error("another origin may read the card")
	}
	if err := card.Check(); err != nil {
		t.Errorf("a good card: %v", err)
	}
	bad := card
	bad.IDNumber = "110105194912310021"
	if bad.Check() == nil {
		t.Error("a card with a wrong check character passes")
	}
}
