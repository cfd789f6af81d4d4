package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/service"
)

func (m *Main) calendar(ctx context.Context, args []string) error {
	if len(args) == 0 || (args[0] != "show" && args[0] != "import") {
		fmt.Fprintln(m.Stderr, "Usage: onewindow calendar show [--year Y] [--hall CODE] | onewindow calendar import [--hall CODE] FILE")
		return errUsage
	}
	cfg, err := m.config()
	if err != nil {
		return err
	}
	sub := args[0]
	summary := "Prints a year's working-day calendar as a month grid: working days plain, days off in [brackets],\n" +
		"调休 weekend working days marked *, holidays named below each month."
	if sub == "import" {
		summary = "Reads a JSON array of days: [{\"date\": \"2027-10-01\", \"working\": false, \"name\": \"国庆节\"},\n" +
			"{\"date\": \"2027-10-09\", \"working\": true, \"name\": \"国庆节调休上班\"}, {\"date\": \"2027-05-06\", \"reset\": true}].\n" +
			"reset returns a day to the Monday-Friday rule. All days are applied, or none if any is wrong."
	}
	fs := m.flags("calendar "+sub+" [flags]", summary)
	dbFlag(fs, &cfg)
	year := fs.Int("year", 0, "the year to show (default: this year)")
	hall := fs.String("hall", "", "a hall's own calendar (its closures on top of the district's)")
	if done, err := parse(fs, args[1:]); done {
		return err
	}
	ctx, svc, err := m.openCLI(ctx, cfg)
	if err != nil {
		return err
	}
	if sub == "import" {
		if fs.NArg() != 1 {
			fs.Usage()
			return errUsage
		}
		var days []struct {
			calendar.Override
			Reset bool `json:"reset"`
		}
		if err := m.readJSON(fs.Arg(0), &days); err != nil {
			return err
		}
		changes := make([]service.DayChange, len(days))
		for i, d := range days {
			changes[i] = service.DayChange{Override: d.Override, Reset: d.Reset}
		}
		if err := svc.ChangeDays(ctx, *hall, changes); err != nil {
			return cliError(err)
		}
		fmt.Fprintf(m.Stdout, "applied %d day(s)\n", len(changes))
		return nil
	}
	if *year == 0 {
		*year = svc.Now().Year()
	}
	days, err := svc.CalendarYear(ctx, *year, *hall)
	if err != nil {
		return cliError(err)
	}
	m.printYear(*year, days)
	return nil
}

// printYear prints the year as twelve month grids, Monday first.
func (m *Main) printYear(year int, days []calendar.DayInfo) {
	working := 0
	for _, d := range days {
		if d.Working {
			working++
		}
	}
	fmt.Fprintf(m.Stdout, "%d 年工作日历：%d 个工作日\n", year, working)
	for month := time.January; month <= time.December; month++ {
		fmt.Fprintf(m.Stdout, "\n%d 年 %d 月\n  一   二   三   四   五   六   日\n", year, month)
		var line strings.Builder
		var notes []string
		lastName := ""
		for _, d := range days {
			if d.Date.Month != month {
				continue
			}
			if d.Date.Day == 1 {
				line.WriteString(strings.Repeat("     ", (int(d.Date.Weekday())+6)%7))
			}
			switch {
			case !d.Working:
				fmt.Fprintf(&line, "[%2d] ", d.Date.Day)
			case d.Weekend:
				fmt.Fprintf(&line, " %2d* ", d.Date.Day)
			default:
				fmt.Fprintf(&line, " %2d  ", d.Date.Day)
			}
			if d.Date.Weekday() == time.Sunday {
				fmt.Fprintln(m.Stdout, strings.TrimRight(line.String(), " "))
				line.Reset()
			}
			if d.Name != "" && d.Name != lastName {
				notes = append(notes, fmt.Sprintf("%d/%d %s", d.Date.Month, d.Date.Day, d.Name))
			}
			lastName = d.Name
		}
		if line.Len() > 0 {
			fmt.Fprintln(m.Stdout, strings.TrimRight(line.String(), " "))
		}
		if len(notes) > 0 {
			fmt.Fprintln(m.Stdout, "  "+strings.Join(notes, "；"))
		}
	}
}
