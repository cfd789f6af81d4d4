package notify

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"mime"
	"net"
	"net/mail"
	"net/smtp"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
)

// Defaults for an SMTPConfig that leaves them out.
const (
	DefaultSMTPPort    = 587 // mail submission
	DefaultSMTPTimeout = 30 * time.Second
)

// SMTPConfig says how to reach the mail server.
type SMTPConfig struct {
	Host     string
	Port     int    // DefaultSMTPPort when 0
	Username string // AUTH PLAIN with Username and Password when set
	Password string
	From     string // the sender address, with or without a display name: 一网通办 <noreply@example.gov.cn>
	// StartTLS upgrades the connection with STARTTLS when the server offers
	// it. Open sets it unless the URL says starttls=false. Whether or not it
	// is set, the credentials are only ever sent over TLS or to a server on
	// localhost (net/smtp's PlainAuth refuses otherwise).
	StartTLS bool
	Timeout  time.Duration // for the whole conversation; DefaultSMTPTimeout when 0
}

// SMTP sends messages as e-mail through a mail server, one connection per
// message. It only sends e-mail: a phone number is refused. It is safe for
// concurrent use.
type SMTP struct {
	cfg SMTPConfig
	now func() time.Time // the Date header; replaced in tests
}

// NewSMTP returns an SMTP sender for cfg, filling in the default port and
// timeout. It does not connect; a bad From or an unreachable server shows
// on the first Send.
func NewSMTP(cfg SMTPConfig) *SMTP {
	if cfg.Port == 0 {
		cfg.Port = DefaultSMTPPort
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultSMTPTimeout
	}
	return &SMTP{cfg: cfg, now: time.Now}
}

// Send delivers m as a plain-text UTF-8 e-mail. A recipient that is not one
// e-mail address, or a line break in the recipient or the subject, is
// refused with an Invalid error before any connection is made.
func (s *SMTP) Send(ctx context.Context, m Message) error {
	if err := m.Validate(); err != nil {
		return err
	}
	to, err := mail.ParseAddress(m.To)
	if err != nil {
		return apperr.Field("to", "收件人必须是有效的电子邮箱地址")
	}
	from, err := mail.ParseAddress(s.cfg.From)
	if err != nil {
		return apperr.Wrap(fmt.Errorf("from address %q: %w", s.cfg.From, err), "notify: smtp")
	}
	msg := s.compose(from, to, m)
	if err := s.deliver(ctx, from.Address, to.Address, msg); err != nil {
		return apperr.Wrap(err, "notify: smtp send to "+MaskRecipient(to.Address))
	}
	return nil
}

// deliver speaks SMTP to the server for one message.
func (s *SMTP) deliver(ctx context.Context, from, to string, msg []byte) (err error) {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	addr := net.JoinHostPort(s.cfg.Host, strconv.Itoa(s.cfg.Port))
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("dial %s: %w", addr, err)
	}
	// net/smtp knows no context: the deadline bounds every read and write,
	// and a cancelled context closes the connection under it. Either way the
	// error then says so, for errors.Is(err, context.DeadlineExceeded).
	dl, _ := ctx.Deadline()
	conn.SetDeadline(dl)
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer func() {
		stop()
		switch {
		case err == nil:
		case ctx.Err() != nil:
			err = fmt.Errorf("%w: %w", ctx.Err(), err)
		case errors.Is(err, os.ErrDeadlineExceeded):
			err = fmt.Errorf("%w: %w", context.DeadlineExceeded, err)
		}
	}()

	c, err := smtp.NewClient(conn, s.cfg.Host)
	if err != nil {
		conn.Close()
		return fmt.Errorf("greeting from %s: %w", addr, err)
	}
	defer c.Close()
	// Say EHLO now, so that its failure is reported as such rather than as a
	// missing extension.
	if err := c.Hello("localhost"); err != nil {
		return fmt.Errorf("ehlo: %w", err)
	}
	if s.cfg.StartTLS {
		if ok, _ := c.Extension("STARTTLS"); ok {
			tc := &tls.Config{ServerName: s.cfg.Host, MinVersion: tls.VersionTLS12}
			if err := c.StartTLS(tc); err != nil {
				return fmt.Errorf("starttls: %w", err)
			}
		}
	}
	if s.cfg.Username != "" {
		if ok, _ := c.Extension("AUTH"); !ok { // after STARTTLS, the second EHLO's answer
			return errors.New("server offers no AUTH, but a username is configured")
		}
		if err := c.Auth(smtp.PlainAuth("", s.cfg.Username, s.cfg.Password, s.cfg.Host)); err != nil {
			return fmt.Errorf("auth: %w", err)
		}
	}
	if err := c.Mail(from); err != nil {
		return fmt.Errorf("mail from: %w", err)
	}
	if err := c.Rcpt(to); err != nil {
		return fmt.Errorf("rcpt to: %w", err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("data: %w", err)
	}
	if _, err := w.Write(msg); err != nil {
		return fmt.Errorf("data: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("data: %w", err)
	}
	// The server has accepted the message; a failed QUIT does not undo that.
	_ = c.Quit()
	return nil
}

// compose writes m as an RFC 5322 message with CRLF line endings: UTF-8
// text, base64 encoded, so that Chinese passes any server unchanged.
func (s *SMTP) compose(from, to *mail.Address, m Message) []byte {
	var b bytes.Buffer
	header := func(name, value string) { b.WriteString(name + ": " + value + "\r\n") }
	header("From", from.String())
	header("To", to.String())
	header("Subject", encodeSubject(m.Subject))
	header("Date", s.now().Format(time.RFC1123Z))
	header("Message-ID", messageID(from.Address))
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=UTF-8")
	header("Content-Transfer-Encoding", "base64")
	b.WriteString("\r\n")
	writeBase64Lines(&b, []byte(canonicalLines(m.Body)))
	return b.Bytes()
}

// encodeSubject encodes a subject that is not plain ASCII as RFC 2047
// encoded-words, folding between them to keep header lines short.
func encodeSubject(subject string) string {
	return strings.ReplaceAll(mime.BEncoding.Encode("UTF-8", subject), "?= =?", "?=\r\n =?")
}

// canonicalLines gives text the CRLF line breaks that MIME requires of text
// before it is base64 encoded.
func canonicalLines(text string) string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	return strings.ReplaceAll(text, "\n", "\r\n")
}

// writeBase64Lines writes data base64 encoded in lines of at most 76
// characters (RFC 2045), each ended by CRLF.
func writeBase64Lines(b *bytes.Buffer, data []byte) {
	enc := base64.StdEncoding.EncodeToString(data)
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	if enc != "" {
		b.WriteString(enc + "\r\n")
	}
}

// messageID returns a new unique Message-ID in the sender's domain.
func messageID(from string) string {
	domain := "localhost"
	if at := strings.LastIndex(from, "@"); at >= 0 && at < len(from)-1 {
		domain = from[at+1:]
	}
	return "<" + rand.Text() + "@" + domain + ">"
}
