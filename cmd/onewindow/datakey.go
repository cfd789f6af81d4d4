package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/sealed"
	"github.com/onewindow/onewindow/internal/store"
)

// errNoDataKey is serve's refusal to run without a data key.
var errNoDataKey = errors.New("no data key: ID numbers and phone numbers are stored encrypted; set --data-key or ONEWINDOW_DATA_KEY " +
	"(generate one with `onewindow datakey generate`), or run --demo, which generates one for a demo database")

func dataKeyFlags(fs *flag.FlagSet, cfg *Config) {
	fs.StringVar(&cfg.DataKey, "data-key", cfg.DataKey, "the key that seals ID numbers and phone numbers at rest: 32 bytes in base64 or hex\n(env ONEWINDOW_DATA_KEY; default: the key file beside a SQLite database, if there is one)")
	fs.StringVar(&cfg.DataKeyOld, "data-key-old", cfg.DataKeyOld, "earlier data keys, comma-separated, still read during a rotation (env ONEWINDOW_DATA_KEY_OLD)")
}

// keyFile is where serve --demo keeps the data key it generates: beside
// the SQLite file (data/onewindow.key for data/onewindow.db), or in ./data
// for PostgreSQL.
func keyFile(dsn string) string {
	if store.IsPostgres(dsn) {
		return filepath.Join("data", "onewindow.key")
	}
	p := strings.TrimPrefix(dsn, "file:")
	return strings.TrimSuffix(p, filepath.Ext(p)) + ".key"
}

// dataKeys returns the configured key ring: --data-key (ONEWINDOW_DATA_KEY)
// with --data-key-old, or else the key file, if there is one. It returns
// nil when neither is there, and says where the key came from. On
// PostgreSQL the key file (in ./data, not beside the database) is the
// demo's only: a production node is given its key.
func dataKeys(cfg Config) (*sealed.Keyring, string, error) {
	if strings.TrimSpace(cfg.DataKey) != "" {
		ring, err := sealed.ParseKeyring(cfg.DataKey, cfg.DataKeyOld)
		return ring, "--data-key", err
	}
	file := keyFile(cfg.DB)
	b, err := os.ReadFile(file)
	if store.IsPostgres(cfg.DB) && !cfg.Demo {
		b, err = nil, fs.ErrNotExist
	}
	if errors.Is(err, fs.ErrNotExist) {
		if strings.TrimSpace(cfg.DataKeyOld) != "" {
			return nil, "", errors.New("--data-key-old without --data-key: name the new key the data are sealed under")
		}
		return nil, "", nil
	}
	if err != nil {
		return nil, "", fmt.Errorf("data key file: %w", err)
	}
	ring, err := sealed.ParseKeyring(string(b), cfg.DataKeyOld)
	if err != nil {
		return nil, "", fmt.Errorf("data key file %s: %w", file, err)
	}
	return ring, file, nil
}

// useDataKeys gives the store the configured data keys, if any. Without
// any, the store stays without keys: commands that touch no personal data
// (user, catalog, calendar, audit) still run; serve refuses (serveKeys).
func (m *Main) useDataKeys(ctx context.Context, cfg Config, log *slog.Logger) error {
	ring, source, err := dataKeys(cfg)
	if err != nil || ring == nil {
		return err
	}
	if err := m.store.UseKeys(ctx, ring); err != nil {
		return err
	}
	log.Info("data key loaded", "key_id", ring.CurrentID(), "from", source)
	return nil
}

// serveKeys makes sure serve has a data key. Without one configured, a
// demo on a database that holds nothing encrypted yet gets a new key, kept
// in the key file (mode 0600) and announced once; anything else is
// refused. Then the personal data still in clear from before encryption
// are sealed, once, on a database that takes writes (writable).
func (m *Main) serveKeys(ctx context.Context, cfg Config, log *slog.Logger, writable bool) error {
	if m.store.Keys() == nil {
		under, err := m.store.SealedUnder(ctx)
		if err != nil {
			return err
		}
		switch {
		case under != "":
			return fmt.Errorf("%w (its data are sealed under key %s)", store.ErrSealedWithoutKey, under)
		case !cfg.Demo:
			return errNoDataKey
		}
		file := keyFile(cfg.DB)
		if err := writeKeyFile(file); err != nil {
			return err
		}
		if err := m.useDataKeys(ctx, cfg, log); err != nil {
			return err
		}
		log.Warn("generated a data key for the demo", "file", file, "key_id", m.store.Keys().CurrentID())
		fmt.Fprintf(m.Stdout, "已为演示生成数据密钥（加密身份证号、手机号）：%s。请妥善保管：没有它，这些数据无法读取。\n", file)
	}
	if !writable {
		// Nothing can be sealed now; a start that can write does it.
		return nil
	}
	rep, err := m.store.SealClearData(ctx)
	if err != nil {
		return fmt.Errorf("seal the personal data stored before encryption: %w", err)
	}
	if rep.Total > 0 {
		log.Info("sealed the personal data stored before encryption", "values", rep.Total, "places", rep.Resealed)
	}
	return nil
}

// writeKeyFile writes a new random data key to file, readable by its owner
// only; an existing file is never overwritten.
func writeKeyFile(file string) error {
	if err := os.MkdirAll(filepath.Dir(file), 0o750); err != nil {
		return fmt.Errorf("data key folder: %w", err)
	}
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("data key file: %w", err)
	}
	if _, err := fmt.Fprintln(f, sealed.GenerateKey()); err != nil {
		f.Close()
		return fmt.Errorf("data key file: %w", err)
	}
	return f.Close()
}

const datakeyUsage = `Usage:
  onewindow datakey generate           print a new random data key (base64)
  onewindow datakey status [flags]     count the values sealed under each key id
  onewindow datakey rotate [flags]     seal every value anew under --data-key

To rotate: restart every node with --data-key NEW --data-key-old OLD (they
read both, seal under NEW), run "onewindow datakey rotate" with the same
keys, and once status shows nothing under OLD, drop --data-key-old.
`

func (m *Main) datakey(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(m.Stderr, datakeyUsage)
		return errUsage
	}
	switch args[0] {
	case "generate":
		fmt.Fprintln(m.Stdout, sealed.GenerateKey())
		return nil
	case "status", "rotate":
	default:
		fmt.Fprint(m.Stderr, datakeyUsage)
		return errUsage
	}
	cfg, err := m.config()
	if err != nil {
		return err
	}
	summary := "Counts the values of personal data sealed under each data key id (no key needed)."
	if args[0] == "rotate" {
		summary = "Seals every ID number and phone number anew under --data-key: values in clear and values\n" +
			"under the keys of --data-key-old, which must all be given. The search hashes do not change.\n" +
			"Runs in short transactions; the hall may keep serving."
	}
	fs := m.flags("datakey "+args[0]+" [flags]", summary)
	dbFlag(fs, &cfg)
	dataKeyFlags(fs, &cfg)
	if done, err := parse(fs, args[1:]); done {
		return err
	}
	log := m.cliLogger()
	if _, err := m.open(ctx, cfg, clock.System{}, log); err != nil {
		return err
	}
	if args[0] == "rotate" {
		if m.store.Keys() == nil {
			return errors.New("rotate needs the new key: --data-key NEW --data-key-old OLD")
		}
		rep, err := m.store.Reseal(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "sealed %d value(s) anew under key %s\n", rep.Total, m.store.Keys().CurrentID())
	}
	usage, err := m.store.KeyUsage(ctx)
	if err != nil {
		return err
	}
	places := make([]string, 0, len(usage))
	for p := range usage {
		places = append(places, p)
	}
	slices.Sort(places)
	current := m.store.Keys().CurrentID()
	left := 0
	for _, p := range places {
		var parts []string
		ids := make([]string, 0, len(usage[p]))
		for id := range usage[p] {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		for _, id := range ids {
			parts = append(parts, fmt.Sprintf("%s=%d", id, usage[p][id]))
			if id != current {
				left += usage[p][id]
			}
		}
		fmt.Fprintf(m.Stdout, "%-40s %s\n", p, strings.Join(parts, " "))
	}
	if args[0] == "rotate" && left > 0 {
		return fmt.Errorf("%d value(s) are not under key %s yet (a node still sealing under an old key?): run rotate again", left, current)
	}
	return nil
}
