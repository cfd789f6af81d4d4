// Command onewindow runs a government service hall the one-window way.
// main only hands over to Main; each subcommand lives in its own file.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m := NewMain()
	err := m.Run(ctx, os.Args[1:])
	if cerr := m.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		if err != errUsage {
			fmt.Fprintln(os.Stderr, "onewindow:", err)
		}
		os.Exit(2)
	}
}
