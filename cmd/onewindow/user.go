package main

import (
	"context"
	"fmt"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/org"
)

func (m *Main) user(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "add" {
		fmt.Fprintln(m.Stderr, "Usage: onewindow user add --username U --password P --role R [--roles R1,R2] [--department CODE] [--hall CODE]")
		return errUsage
	}
	cfg, err := m.config()
	if err != nil {
		return err
	}
	fs := m.flags("user add [flags]", "Adds a staff account. Roles: intake, issuance, reviewer, dept_admin, admin, supervisor, agent, hall_manager,\nagent_manager, street_reviewer; reviewer and dept_admin need --department, hall_manager and agent_manager need --hall,\nstreet_reviewer a street hall's --hall.\n--roles gives one clerk several desks (intake, issuance, reviewer together; the first is the primary role\nunless --role names it), e.g. --roles intake,issuance --hall JC-BHJD.")
	dbFlag(fs, &cfg)
	var u org.User
	var role, roles, password string
	fs.StringVar(&u.Username, "username", "", "sign-in name: 3-32 lower-case letters, digits, . _ -")
	fs.StringVar(&password, "password", m.Env["ONEWINDOW_PASSWORD"], "password: 8+ characters with letters and digits (env ONEWINDOW_PASSWORD)")
	fs.StringVar(&role, "role", "", "intake, issuance, reviewer, dept_admin, admin, supervisor, hall_manager (with --hall), agent_manager (with --hall),\nstreet_reviewer (with a street's --hall) or agent")
	fs.StringVar(&roles, "roles", "", "every role the account holds, comma-separated (intake, issuance and reviewer may go together); the first is the primary role unless --role is given")
	fs.StringVar(&u.DepartmentCode, "department", "", "department code (reviewer, dept_admin)")
	fs.StringVar(&u.HallCode, "hall", "", "hall code the account works at (intake and issuance clerks act on that hall's cases only)")
	fs.StringVar(&u.Name, "name", "", "the person's name (default: the username)")
	if done, err := parse(fs, args[1:]); done {
		return err
	}
	held := org.ParseRoles(roles)
	if role == "" && len(held) > 0 {
		role = string(held[0])
	}
	u.SetRoles(org.Role(role), held)
	ctx, svc, err := m.openCLI(ctx, cfg)
	if err != nil {
		return err
	}
	if err := svc.AddUser(ctx, &u, password); err != nil {
		return cliError(err)
	}
	fmt.Fprintf(m.Stdout, "added %s (%s)\n", u.Username, u.RolesLabel())
	if u.Role.WorksAtHall() && u.HallCode == "" {
		fmt.Fprintf(m.Stderr, "warning: %s has no --hall: a desk clerk without a hall can act on no case\n", u.Username)
	}
	return nil
}

// cliError spells out a coded error with its fields for the terminal.
func cliError(err error) error {
	fields := apperr.FieldsOf(err)
	if len(fields) == 0 {
		return fmt.Errorf("%s", apperr.MessageOf(err))
	}
	msg := apperr.MessageOf(err)
	for _, f := range fields {
		if f.Message != msg {
			msg += fmt.Sprintf("\n  %s: %s", f.Field, f.Message)
		}
	}
	return fmt.Errorf("%s", msg)
}
