#!/bin/sh
# replicate_pg.sh URL COPIES: replicate.sh for a PostgreSQL database (one
# copypg filled from a generated SQLite one): copies the cases, their
# ledger rows, timed steps and folded records COPIES-1 times under new ids
# and numbers, and multiplies the rollup counts by COPIES. Events,
# documents, holding rows and ratings are not copied. Measurement tooling,
# not part of the product.
set -eu
url=$1
copies=$2
off=10000000
max=$(psql "$url" -Atc "SELECT MAX(id) FROM cases")
[ "$max" -lt $off ] || { echo "ids too large for the offset"; exit 1; }
cols() { psql "$url" -Atc "SELECT string_agg(column_name, ', ' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_schema = 'public' AND table_name = '$1'"; }
select_list() {
	cols "$1" | tr ',' '\n' | sed 's/^ //' |
		while read -r c; do
			e=$(printf '%s\n' "$2" | tr ';' '\n' | sed -n "s/^$c=//p")
			if [ -n "$e" ]; then printf '%s, ' "$e"; else printf '%s, ' "$c"; fi
		done | sed 's/, $//'
}
k=1
while [ $k -lt "$copies" ]; do
	echo "copy $k: $(date +%T)"
	n="substr(number, 1, 8) || lpad(($k * 100000 + substr(number, 9)::int)::text, 6, '0')"
	psql -q -v ON_ERROR_STOP=1 "$url" <<SQL
SET session_replication_role = replica;
BEGIN;
INSERT INTO cases ($(cols cases)) OVERRIDING SYSTEM VALUE SELECT $(select_list cases "id=id + $k * $off;number=$n") FROM cases WHERE id <= $max;
INSERT INTO case_ledger ($(cols case_ledger)) SELECT $(select_list case_ledger "case_id=case_id + $k * $off") FROM case_ledger WHERE case_id <= $max;
INSERT INTO sv_cases ($(cols sv_cases)) SELECT $(select_list sv_cases "case_id=case_id + $k * $off;number=$n") FROM sv_cases WHERE case_id <= $max;
INSERT INTO sv_steps ($(cols sv_steps)) SELECT $(select_list sv_steps "case_id=case_id + $k * $off;number=$n") FROM sv_steps WHERE case_id <= $max;
COMMIT;
SQL
	k=$((k + 1))
done
psql -q -v ON_ERROR_STOP=1 "$url" -c "UPDATE sv_rollup SET n = n * $copies" -c "VACUUM (ANALYZE) sv_rollup, sv_steps, sv_cases, cases, case_ledger"
echo "done: $(date +%T)"
psql "$url" -Atc "SELECT COUNT(*) FROM cases"
