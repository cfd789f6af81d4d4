package server

import (
	"slices"
	"testing"
)

// jsonScreenCases are bodies the JSON screen must judge alike with and
// without its shortcut: clean ones it may skip, and every way a string
// can be unclean or merely look so (escapes, a quote left open, bad
// UTF-8, a line feed in a one-line field or in a multi-line one, a bad
// key, text outside a string, documents that are not JSON).
var jsonScreenCases = []string{
	`{"item_code":"SCJG-XK-002","channel":"window","materials":[{"code":"M01","status":"provided"}],` +
		`"applicant":{"kind":"entity","name":"江川区好味餐饮有限公司","id_type":"credit_code","id_number":"91350100M000100Y43"}}`,
	`{"reason":"第一行\n第二行"}`,
	"{\"reason\":\"第一行\n第二行\"}",
	"{\"name\":\"a\nb\"}",
	"{\"name\":\"a\u202eb\"}",
	"{\"na\u202eme\":\"x\"}",
	`{"name":"a\u202eb"}`,
	`{"name":"\ud800"}`,
	`{"name":"\ufffd"}`,
	"{\"name\":\"\ufffd\"}",
	"{\"name\":\"\xff\"}",
	"{\"name\"\xff:\"x\"}",
	`{"name":"a\"b"}`,
	`{"name":"a\\"}`,
	`{"name":"open`,
	`{"name":}`,
	`{"a":[1,2,{"b":"c"}],"d":null,"e":true,"f":-1.5e3}`,
	`"plain"`,
	"\"a\tb\"",
	`[]`,
	``,
	`not json "with\u0007" strings`,
	"{\"a\":\"x\"} {\"b\":\"\x01\"}",
	"{\t\"a\" :\n\"x\"\r}",
	"{\"note\":\"a\tb\",\"materials\":[{\"notes\":\"x\ny\"},{\"code\":\"M\t1\"}]}",
	"{\"a\":\"\ufeffx\"}",
}

// TestPlainCleanJSONAgrees: checkJSON, which skips the token walk for a
// body plainCleanJSON passes, names the same faults as the walk itself,
// and the shortcut passes the clean bodies the API receives every day.
func TestPlainCleanJSONAgrees(t *testing.T) {
	for _, body := range jsonScreenCases {
		assertScreensAgree(t, []byte(body))
	}
	if !plainCleanJSON([]byte(jsonScreenCases[0])) {
		t.Error("an ordinary intake body takes the slow walk")
	}
	for _, body := range []string{`{"name":"a\u202eb"}`, "{\"name\":\"a\u202eb\"}", "{\"name\":\"\xff\"}", `{"name":"open`} {
		if plainCleanJSON([]byte(body)) {
			t.Errorf("plainCleanJSON(%q) = true", body)
		}
	}
}

func FuzzPlainCleanJSON(f *testing.F) {
	for _, body := range jsonScreenCases {
		f.Add([]byte(body))
	}
	f.Fuzz(func(t *testing.T, body []byte) { assertScreensAgree(t, body) })
}

func assertScreensAgree(t *testing.T, body []byte) {
	t.Helper()
	fast, slow := &faults{api: true}, &faults{api: true}
	checkJSON(fast, body)
	walkJSON(slow, body)
	if !slices.Equal(fast.fields, slow.fields) || !slices.Equal(fast.pages, slow.pages) {
		t.Errorf("body %q: checkJSON %v, the walk %v", body, fast.fields, slow.fields)
	}
	if plainCleanJSON(body) && len(slow.fields) > 0 {
		t.Errorf("body %q: passed by plainCleanJSON, faulted by the walk: %v", body, slow.fields)
	}
}
