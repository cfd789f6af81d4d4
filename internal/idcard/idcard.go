// Package idcard is the protocol of the ID card reader bridge: a small
// program on the window's PC that reads the second-generation resident ID
// card (二代身份证) from the desk's reader and answers the intake page's
// browser over HTTP on the loopback address. The bridge is the reader
// vendor's SDK behind this JSON protocol; Simulator speaks it for tests,
// training and development (onewindow idcard-sim). docs/idcard-bridge.md
// describes the protocol for vendors.
package idcard

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"

	"github.com/onewindow/onewindow/internal/identity"
)

// Card is what the reader reads off a card. Dates are written 2006-01-02.
type Card struct {
	Name      string `json:"name"`
	Sex       string `json:"sex"`    // 男 or 女
	Nation    string `json:"nation"` // 民族, e.g. 汉
	Birth     string `json:"birth"`
	Address   string `json:"address"`
	IDNumber  string `json:"id_number"`
	Issuer    string `json:"issuer"` // 签发机关
	ValidFrom string `json:"valid_from"`
	ValidTo   string `json:"valid_to"` // "长期" for no end
}

// Check reports whether the card's number passes the resident ID check
// (GB 11643) and names a holder.
func (c Card) Check() error {
	if strings.TrimSpace(c.Name) == "" {
		return errNoName
	}
	return identity.Validate(identity.ResidentID, strings.ToUpper(strings.TrimSpace(c.IDNumber)))
}

type cardError string

func (e cardError) Error() string { return string(e) }

const errNoName = cardError("读到的证件没有姓名")

// The protocol's paths and its answers' error codes.
const (
	// CardPath answers GET with the card on the reader (200, a Card), or
	// 404 with {"error":"no_card"} when none is placed, or 503 with
	// {"error":"no_reader"} when the reader is not connected.
	CardPath = "/v1/card"
	// StatusPath answers GET with {"reader": true|false, "version": "…"}.
	StatusPath = "/v1/status"

	NoCard   = "no_card"
	NoReader = "no_reader"
)

// Simulator is a bridge without hardware: it answers with the card placed
// on it (Place), and allows the origins given (the hall's address) to read
// it from a page, as a real bridge must.
type Simulator struct {
	mu      sync.Mutex
	card    *Card
	reader  bool
	origins []string
}

// NewSimulator returns a simulator with a reader and no card, answering
// pages of origins ("*" for any).
func NewSimulator(origins ...string) *Simulator {
	return &Simulator{reader: true, origins: origins}
}

// Place puts c on the reader; nil takes the card away.
func (s *Simulator) Place(c *Card) {
	s.mu.Lock()
	s.card = c
	s.mu.Unlock()
}

// Unplug disconnects (false) or reconnects (true) the reader.
func (s *Simulator) Unplug(connected bool) {
	s.mu.Lock()
	s.reader = connected
	s.mu.Unlock()
}

// ServeHTTP speaks the protocol.
func (s *Simulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if o := r.Header.Get("Origin"); o != "" && s.allows(o) {
		w.Header().Set("Access-Control-Allow-Origin", o)
		w.Header().Set("Vary", "Origin")
	}
	if r.Method == http.MethodOptions {
		w.Header().Set("Access-Control-Allow-Methods", "GET")
		w.WriteHeader(http.StatusNoContent)
		return
	}
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", "GET")
		http.Error(w, "GET only", http.StatusMethodNotAllowed)
		return
	}
	s.mu.Lock()
	card, reader := s.card, s.reader
	s.mu.Unlock()
	switch r.URL.Path {
	case StatusPath:
		reply(w, http.StatusOK, map[string]any{"reader": reader, "version": "onewindow-sim 1"})
	case CardPath:
		switch {
		case !reader:
			reply(w, http.StatusServiceUnavailable, map[string]string{"error": NoReader})
		case card == nil:
			reply(w, http.StatusNotFound, map[string]string{"error": NoCard})
		default:
			reply(w, http.StatusOK, card)
		}
	default:
		http.NotFound(w, r)
	}
}

func (s *Simulator) allows(origin string) bool {
	for _, o := range s.origins {
		if o == "*" || o == origin {
			return true
		}
	}
	return false
}

func reply(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
