package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/onewindow/onewindow/internal/service"
)

func (m *Main) catalog(ctx context.Context, args []string) error {
	if len(args) == 0 || (args[0] != "import" && args[0] != "export") {
		fmt.Fprintln(m.Stderr, "Usage: onewindow catalog import FILE | onewindow catalog export [FILE]")
		return errUsage
	}
	cfg, err := m.config()
	if err != nil {
		return err
	}
	sub := args[0]
	summary := "Writes the current version of every item, with its materials, as JSON ({\"items\": [...]})."
	if sub == "import" {
		summary = "Reads {\"items\": [...]} (the export's format; \"-\" reads stdin). New codes are added, changed items\n" +
			"get a new version, identical ones are left alone. Any invalid item rejects the whole file."
	}
	fs := m.flags("catalog "+sub+" [flags] FILE", summary)
	dbFlag(fs, &cfg)
	if done, err := parse(fs, args[1:]); done {
		return err
	}
	ctx, svc, err := m.openCLI(ctx, cfg)
	if err != nil {
		return err
	}
	if sub == "export" {
		return m.exportCatalog(ctx, svc, fs.Arg(0))
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errUsage
	}
	var f service.CatalogFile
	if err := m.readJSON(fs.Arg(0), &f); err != nil {
		return err
	}
	res, err := svc.ImportCatalog(ctx, &f)
	if err != nil {
		return cliError(err)
	}
	fmt.Fprintf(m.Stdout, "added %d, updated %d, unchanged %d\n", len(res.Added), len(res.Updated), len(res.Unchanged))
	return nil
}

func (m *Main) exportCatalog(ctx context.Context, svc *service.Service, path string) error {
	f, err := svc.ExportCatalog(ctx)
	if err != nil {
		return cliError(err)
	}
	out := m.Stdout
	if path != "" && path != "-" {
		file, err := os.Create(path)
		if err != nil {
			return err
		}
		defer file.Close()
		out = file
	}
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	return enc.Encode(f)
}

// readJSON decodes the file at path ("-": stdin) into v, refusing unknown
// fields so that a typo in a field name is not silently dropped.
func (m *Main) readJSON(path string, v any) error {
	var r io.Reader = m.Stdin
	if path != "-" {
		file, err := os.Open(path)
		if err != nil {
			return err
		}
		defer file.Close()
		r = file
	}
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%s: not valid JSON for this command: %w", path, err)
	}
	return nil
}
