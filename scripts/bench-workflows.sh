#!/usr/bin/env bash
# The workflow runner's throughput with two instances of the product on one database (crm_workflows, made afresh):
# TENANTS tenants (the demo ones and "wf-N" ones) each with one workflow of three steps (add a tag to the lead, a
# condition on that tag, stop) and LEADS executions whose first step is due once both instances are up. Prints the
# step runs per second from the first completion to the last, and the duplicates: a step run twice would schedule
# its next step twice (two runs of one step in one execution), or count a second attempt.
#   scripts/bench-workflows.sh
#   TENANTS=40 LEADS=500 scripts/bench-workflows.sh
#   INSTANCES=1 scripts/bench-workflows.sh          (one instance, to compare)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
TENANTS="${TENANTS:-20}"
INSTANCES="${INSTANCES:-2}"
LEADS="${LEADS:-1000}"
DB=crm_workflows
dotnet build -c Release src/WebApi -v q -nologo >/dev/null
source scripts/bench-lib.sh
bench_cluster
psql() { bench_psql "$@"; }
psql postgres -c "drop database if exists $DB" -c "create database $DB"

# Migrated and seeded by one instance with its runner off; then the rows.
Workflows__RunnerPollMilliseconds=0 bench_start_api "$DB" http://127.0.0.1:5085 /tmp/crm-workflows-seed.log
bench_stop_api
SMALL=$((TENANTS - $(psql "$DB" -c "select count(*) from tenants")))
psql "$DB" -c "insert into tenants (id, name, slug, status, created_at, version, record_visibility, outbox_sequence, passwordless_sign_in, tag_prefix, plan_code)
        select gen_random_uuid(), 'Workflow tenant '||g, 'wf-'||g, 'Active', now(), 1, 'Shared', 0, false, 'ct-'||substr(md5(random()::text), 1, 8)||'-', 'enterprise'
        from generate_series(1, greatest($SMALL, 0)) g" \
  -c "insert into workflows (id, tenant_id, name, normalized_name, enabled, definition_version, definition, trigger_kind, template_ids, webhook_secret, created_at, version)
        select gen_random_uuid(), t.id, 'Bench', 'BENCH', true, 1,
               '{\"trigger\":{\"kind\":\"leadCaptured\"},\"steps\":[{\"id\":\"tag\",\"kind\":\"addTag\",\"next\":\"check\",\"tag\":\"bench\"},{\"id\":\"check\",\"kind\":\"condition\",\"condition\":{\"kind\":\"hasTag\",\"tag\":\"bench\"},\"then\":\"done\",\"else\":\"done\"},{\"id\":\"done\",\"kind\":\"stop\"}]}',
               'LeadCaptured', '{}', md5(random()::text), now(), 1
        from tenants t" \
  -c "insert into workflow_versions (tenant_id, workflow_id, number, definition) select tenant_id, id, 1, definition from workflows" \
  -c "insert into leads (id, tenant_id, first_name, last_name, email, normalized_email, source, tags, status, furthest_stage, captured_at, search_text, created_at, version)
        select gen_random_uuid(), t.id, 'Lead', 'Number '||g, 'l'||g||'@example.com', 'L'||g||'@EXAMPLE.COM', 'WebForm', '{}', 'New', 0, now(), 'lead number '||g, now(), 1
        from tenants t, generate_series(1, $LEADS) g" \
  -c "insert into workflow_executions (id, tenant_id, workflow_id, workflow_version, lead_id, trigger_event_id, state, current_step_id, step_count, started_at, created_at, version)
        select gen_random_uuid(), l.tenant_id, w.id, 1, l.id, gen_random_uuid(), 'Running', 'tag', 1, now(), now(), 1
        from leads l join workflows w on w.tenant_id = l.tenant_id where l.last_name like 'Number %'" \
  -c "insert into workflow_step_runs (id, tenant_id, execution_id, step_id, sequence, kind, state, due_at, attempts, created_at)
        select gen_random_uuid(), tenant_id, id, 'tag', 1, 'AddTag', 'Pending', now() + interval '45 seconds', 0, now() from workflow_executions" \
  -c "vacuum analyze"
EXECUTIONS=$(psql "$DB" -c "select count(*) from workflow_executions")
echo "$(psql "$DB" -c "select count(*) from tenants") tenants, $EXECUTIONS executions of 3 steps, due in 45 s"

# Two instances (INSTANCES=1: one), each running the runner (poll 100 ms) against the same database.
start() {
  (cd src/WebApi && ConnectionStrings__Crm="${OWNER/Database=crm/Database=$DB}" Database__Migrate=false Database__SeedDemoData=false \
    Workflows__RunnerPollMilliseconds=100 Logging__LogLevel__Default=Warning ASPNETCORE_URLS=$1 \
    exec dotnet bin/Release/net10.0/CrmTenancy.WebApi.dll >"$2" 2>&1) &
}
start http://127.0.0.1:5086 /tmp/crm-workflows-1.log; PID1=$!
PID2=
if [[ "$INSTANCES" == 2 ]]; then start http://127.0.0.1:5087 /tmp/crm-workflows-2.log; PID2=$!; fi
trap 'kill $PID1 $PID2 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do
  [[ "$(psql "$DB" -c "select count(*) from workflow_step_runs where state = 'Pending'")" == 0 && \
     "$(psql "$DB" -c "select count(*) from workflow_step_runs")" -ge $((EXECUTIONS * 3)) ]] && break
  sleep 1
done
kill $PID1 $PID2 2>/dev/null || true
wait $PID1 $PID2 2>/dev/null || true
psql "$DB" -c "select count(*) || ' step runs completed in ' || round(extract(epoch from max(completed_at) - min(completed_at))::numeric, 1) || ' s: '
                      || round(count(*) / extract(epoch from max(completed_at) - min(completed_at))::numeric) || ' per second'
               from workflow_step_runs where state = 'Completed'"
echo "executions completed: $(psql "$DB" -c "select count(*) from workflow_executions where state = 'Completed'") of $EXECUTIONS"
echo "duplicates (a step run twice in one execution): $(psql "$DB" -c "select count(*) from (select 1 from workflow_step_runs group by execution_id, step_id having count(*) > 1) d")"
echo "step runs with more than one attempt: $(psql "$DB" -c "select count(*) from workflow_step_runs where attempts > 1")"
echo "per-second completions (the busiest 5 seconds):"
psql "$DB" -c "select second || '  ' || n from (select date_trunc('second', completed_at) as second, count(*) as n
               from workflow_step_runs where state = 'Completed' group by 1) s order by n desc limit 5"
