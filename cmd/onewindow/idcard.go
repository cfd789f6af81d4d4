package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/onewindow/onewindow/internal/idcard"
)

// idcardSim runs "onewindow idcard-sim": an ID card reader bridge without
// hardware, for training, development and the browser tests. It answers
// the bridge protocol (internal/idcard, docs/idcard-bridge.md) with the
// card in FILE, or the demo's card.
func (m *Main) idcardSim(ctx context.Context, args []string) error {
	fs := m.flags("idcard-sim [flags]", "Serves the ID card reader bridge's protocol without a reader: GET /v1/card answers\n"+
		"with the card of --card (a JSON file of idcard.Card) or the demo's card, and allows the\n"+
		"intake pages of --origin to read it. Start serve with --idcard-bridge set to this address.")
	addr := fs.String("addr", "127.0.0.1:18090", "where the bridge listens (loopback: the window's own PC)")
	origin := fs.String("origin", "http://127.0.0.1:8080", "the hall's address whose pages may read the card, comma-separated")
	file := fs.String("card", "", "a JSON file with the card's fields (name, sex, nation, birth, address, id_number, issuer, valid_from, valid_to)")
	if done, err := parse(fs, args); done {
		return err
	}
	card := idcard.Card{Name: "王小明", Sex: "男", Nation: "汉", Birth: "1949-12-31", Address: "江川区柳荫路8号",
		IDNumber: "11010519491231002X", Issuer: "江川市公安局江川分局", ValidFrom: "2019-06-01", ValidTo: "2039-06-01"}
	if *file != "" {
		b, err := os.ReadFile(*file)
		if err != nil {
			return err
		}
		card = idcard.Card{}
		if err := json.Unmarshal(b, &card); err != nil {
			return fmt.Errorf("--card %s: %w", *file, err)
		}
	}
	if err := card.Check(); err != nil {
		return fmt.Errorf("the card: %w", err)
	}
	sim := idcard.NewSimulator(strings.Split(*origin, ",")...)
	sim.Place(&card)
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: sim, ReadHeaderTimeout: 5 * time.Second}
	fmt.Fprintf(m.Stdout, "身份证读卡模拟器：http://%s%s（%s 的卡）\n", ln.Addr(), idcard.CardPath, card.Name)
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
