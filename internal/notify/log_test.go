package notify

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/internal/apperr"
)

func TestLogRecordsAndMasks(t *testing.T) {
	var buf bytes.Buffer
	l := NewLog(slog.New(slog.NewTextHandler(&buf, nil)))
	ctx := context.Background()

	phone := Message{To: "13812345678", Subject: "验证码", Body: "您的验证码是 246810，5 分钟内有效。"}
	if err := l.Send(ctx, phone); err != nil {
		t.Fatal(err)
	}
	email := Message{To: "zhangsan@example.cn", Subject: "办件通知", Body: "您的申请已受理。"}
	if err := l.Send(ctx, email); err != nil {
		t.Fatal(err)
	}

	out := buf.String()
	for _, secret := range []string{"13812345678", "zhangsan@"} {
		if strings.Contains(out, secret) {
			t.Errorf("log shows the full recipient %q:\n%s", secret, out)
		}
	}
	for _, want := range []string{"level=INFO", "138****5678", "z***@example.cn", "246810", "验证码"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}

	if got, ok := l.Last("13812345678"); !ok || got != phone {
		t.Errorf("Last(phone) = %+v, %v; want %+v", got, ok, phone)
	}
	if got, ok := l.Last("zhangsan@example.cn"); !ok || got != email {
		t.Errorf("Last(email) = %+v, %v; want %+v", got, ok, email)
	}
	if _, ok := l.Last("13900000000"); ok {
		t.Error("Last of a number never sent to reports a message")
	}
	if got := l.Sent(); len(got) != 2 || got[0] != phone || got[1] != email {
		t.Errorf("Sent() = %+v", got)
	}
}

func TestLogLastIsTheLatest(t *testing.T) {
	l := NewLog(slog.New(slog.DiscardHandler))
	for _, code := range []string{"111111", "222222"} {
		if err := l.Send(context.Background(), Message{To: "13812345678", Body: code}); err != nil {
			t.Fatal(err)
		}
	}
	if got, _ := l.Last("13812345678"); got.Body != "222222" {
		t.Errorf("Last body = %q, want the second code", got.Body)
	}
}

func TestLogKeepsTheLast100(t *testing.T) {
	l := NewLog(slog.New(slog.DiscardHandler))
	for i := range 105 {
		if err := l.Send(context.Background(), Message{To: fmt.Sprintf("1380000%04d", i), Body: "x"}); err != nil {
			t.Fatal(err)
		}
	}
	sent := l.Sent()
	if len(sent) != 100 {
		t.Fatalf("kept %d messages, want 100", len(sent))
	}
	if sent[0].To != "13800000005" || sent[99].To != "13800000104" {
		t.Errorf("kept %s … %s, want 13800000005 … 13800000104", sent[0].To, sent[99].To)
	}
	if _, ok := l.Last("13800000004"); ok {
		t.Error("Last finds a message that was dropped")
	}
	sent[0].Body = "changed"
	if l.Sent()[0].Body != "x" {
		t.Error("Sent returns the sender's own slice")
	}
}

func TestLogRefuses(t *testing.T) {
	l := NewLog(slog.New(slog.DiscardHandler))
	for _, m := range []Message{
		{To: "", Body: "x"},
		{To: "  ", Body: "x"},
		{To: "13812345678\nBcc: x@example.com", Body: "x"},
		{To: "13812345678", Subject: "hi\r\nBcc: x@example.com", Body: "x"},
	} {
		if err := l.Send(context.Background(), m); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("Send(%+q) = %v, want invalid", m, err)
		}
	}
	if n := len(l.Sent()); n != 0 {
		t.Errorf("kept %d refused messages", n)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := l.Send(ctx, Message{To: "13812345678"}); err == nil {
		t.Error("Send with a cancelled context succeeded")
	}
}
