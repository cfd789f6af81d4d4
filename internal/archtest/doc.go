// Package archtest holds the test of the dependency rules between
// OneWindow's packages (STYLE.md, issue 11): the pages and the API reach
// the database only through the services; the domain packages know nothing
// of SQL or HTTP and import only each other and the foundation (apperr,
// clock); and no import points upward (domain → store → service → api/web
// → server → cmd). `go test ./...`, hence CI, runs it over `go list`.
package archtest
