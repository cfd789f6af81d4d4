package main

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/onewindow/onewindow/internal/apiclient"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/service"
)

const clientUsage = `Usage:
  onewindow client add --name NAME --department CODE --scopes cases:read,cases:act,events:read [--rate N]
  onewindow client list [--department CODE]
  onewindow client rotate --id ID [--overlap 24h]
  onewindow client revoke --id ID`

// client manages the department systems that use the API (API clients).
func (m *Main) client(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprintln(m.Stderr, clientUsage)
		return errUsage
	}
	cfg, err := m.config()
	if err != nil {
		return err
	}
	switch args[0] {
	case "add":
		fs := m.flags("client add [flags]", "Adds a department system as an API client and prints its key, once.")
		dbFlag(fs, &cfg)
		var in service.NewClient
		fs.StringVar(&in.Name, "name", "", "the system's name, as records show it (不动产登记系统)")
		fs.StringVar(&in.Department, "department", "", "the department's code")
		fs.StringVar(&in.Scopes, "scopes", "cases:read", "comma-separated: cases:read, cases:act, events:read")
		fs.IntVar(&in.RatePerMinute, "rate", apiclient.DefaultRate, "requests per minute (per node)")
		if done, err := parse(fs, args[1:]); done {
			return err
		}
		ctx, svc, err := m.openCLI(ctx, cfg)
		if err != nil {
			return err
		}
		k, err := svc.AddAPIClient(ctx, in)
		if err != nil {
			return cliError(err)
		}
		m.printKey(k)
		return nil
	case "list":
		fs := m.flags("client list [flags]", "Lists the API clients, their keys and their last use.")
		dbFlag(fs, &cfg)
		var dept string
		fs.StringVar(&dept, "department", "", "only this department's clients")
		if done, err := parse(fs, args[1:]); done {
			return err
		}
		ctx, svc, err := m.openCLI(ctx, cfg)
		if err != nil {
			return err
		}
		cs, err := svc.APIClients(ctx, dept)
		if err != nil {
			return cliError(err)
		}
		tw := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tNAME\tDEPARTMENT\tSCOPES\tRATE/MIN\tSTATE\tKEYS\tLAST USED")
		now := svc.Now()
		for _, c := range cs {
			state, valid := "active", 0
			if c.Revoked() {
				state = "revoked " + cliTime(c.RevokedAt)
			}
			for _, k := range c.Keys {
				if k.Valid(now) {
					valid++
				}
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d\t%s\t%d valid\t%s\n", c.ID, c.Name, c.DepartmentCode,
				apiclient.JoinScopes(c.Scopes), c.RatePerMinute, state, valid, cliTime(c.LastUsedAt()))
		}
		return tw.Flush()
	case "rotate", "revoke":
		fs := m.flags("client "+args[0]+" [flags]", map[string]string{
			"rotate": "Makes a new key for a client and prints it, once; its other keys stay valid for --overlap.",
			"revoke": "Revokes a client and all its keys at once.",
		}[args[0]])
		dbFlag(fs, &cfg)
		var id int64
		overlap := apiclient.DefaultOverlap
		fs.Int64Var(&id, "id", 0, "the client's id (client list)")
		if args[0] == "rotate" {
			fs.DurationVar(&overlap, "overlap", overlap, "how long the old keys stay valid (0 ends them now; at most 720h)")
		}
		if done, err := parse(fs, args[1:]); done {
			return err
		}
		if id == 0 {
			fmt.Fprintln(m.Stderr, "--id is required")
			return errUsage
		}
		ctx, svc, err := m.openCLI(ctx, cfg)
		if err != nil {
			return err
		}
		if args[0] == "revoke" {
			if err := svc.RevokeAPIClient(ctx, id); err != nil {
				return cliError(err)
			}
			fmt.Fprintf(m.Stdout, "revoked client %d and all its keys\n", id)
			return nil
		}
		k, err := svc.RotateAPIClientKey(ctx, id, overlap)
		if err != nil {
			return cliError(err)
		}
		m.printKey(k)
		fmt.Fprintf(m.Stdout, "the older keys stay valid until %s\n", cliTime(svc.Now().Add(overlap)))
		return nil
	}
	fmt.Fprintln(m.Stderr, clientUsage)
	return errUsage
}

// printKey shows a new key, the only time it is shown.
func (m *Main) printKey(k *service.IssuedKey) {
	fmt.Fprintf(m.Stdout, "client %d %s (%s) scopes %s\n", k.Client.ID, k.Client.Name, k.Client.DepartmentCode, apiclient.JoinScopes(k.Client.Scopes))
	fmt.Fprintf(m.Stdout, "key: %s\n", k.Key)
	fmt.Fprintln(m.Stdout, "keep it now: it is stored hashed and cannot be shown again")
}

// cliTime writes a time in Asia/Shanghai, "-" for none.
func cliTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.In(clock.Shanghai).Format("2006-01-02 15:04")
}
