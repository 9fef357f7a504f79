#!/usr/bin/env python3
"""Writes the Grafana dashboards of the chart (charts/tu/dashboards/*.json): one overview of the pipeline and
one per service (RED, domain metrics, JVM and pod). Edit here, run `python3 scripts/generate-dashboards.py`,
then `./mvnw -pl charts-tests verify -Dgolden.update=true` and review the diff (MonitoringTest checks every
PromQL expression against the metrics the services publish)."""
import json, os
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "charts", "tu", "dashboards")
DS = {"type": "prometheus", "uid": "${datasource}"}

def templating(service=None):
    v = [{"name": "datasource", "type": "datasource", "query": "prometheus", "label": "Data source",
          "current": {}, "hide": 0},
         {"name": "namespace", "type": "query", "datasource": DS, "label": "Namespace",
          "query": {"query": "label_values(tu_uploads_total, namespace)" if service is None else
                    'label_values(up{job=~".*%s"}, namespace)' % service, "refId": "ns"},
          "definition": "", "refresh": 2, "current": {}, "hide": 0, "includeAll": False, "multi": False}]
    return {"list": v}

class Board:
    def __init__(self, uid, title, service=None, description=""):
        self.uid, self.title, self.service, self.description = uid, title, service, description
        self.panels, self.y, self.x, self.id = [], 0, 0, 1
    def row(self, title):
        if self.x: self.y += 8; self.x = 0
        self.panels.append({"id": self.id, "type": "row", "title": title, "collapsed": False,
                            "gridPos": {"h": 1, "w": 24, "x": 0, "y": self.y}, "panels": []})
        self.id += 1; self.y += 1
    def panel(self, title, targets, unit="short", kind="timeseries", desc="", w=12):
        if self.x + w > 24: self.y += 8; self.x = 0
        p = {"id": self.id, "type": kind, "title": title, "description": desc, "datasource": DS,
             "gridPos": {"h": 8, "w": w, "x": self.x, "y": self.y},
             "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
             "options": {"legend": {"displayMode": "table", "placement": "bottom", "showLegend": True}} if kind == "timeseries" else {},
             "targets": [{"refId": chr(65 + i), "datasource": DS, "expr": e, "legendFormat": l}
                         for i, (e, l) in enumerate(targets)]}
        self.panels.append(p); self.id += 1; self.x += w
    def write(self, name):
        d = {"uid": self.uid, "title": self.title, "description": self.description,
             "tags": ["tu"] + ([self.service] if self.service else ["overview"]),
             "timezone": "utc", "schemaVersion": 39, "version": 1, "editable": True, "refresh": "30s",
             "time": {"from": "now-1h", "to": "now"}, "templating": templating(self.service),
             "annotations": {"list": []}, "links": [{"title": "tu dashboards", "type": "dashboards", "tags": ["tu"], "asDropdown": True}],
             "panels": self.panels}
        with open(os.path.join(OUT, name + ".json"), "w") as f:
            json.dump(d, f, indent=2); f.write("\n")

NS = 'namespace="$namespace"'

# ---- overview
b = Board("tu-overview", "tu / pipeline overview", None,
          "The whole pipeline: uploads in, analyses out, the bridge between Kafka and RabbitMQ, workflow states, backlogs, dead letters, subscriptions and the error rate.")
b.row("Intake")
b.panel("Uploads per second by outcome", [(f'sum by (outcome) (rate(tu_uploads_total{{{NS}}}[$__rate_interval]))', "{{outcome}}")], "reqps")
b.panel("Rejected uploads per second by reason", [(f'sum by (reason) (rate(tu_uploads_total{{{NS},outcome="rejected"}}[$__rate_interval]))', "{{reason}}")], "reqps")
b.panel("Outbox backlog (events not yet acknowledged by Kafka)", [(f'max(tu_outbox_backlog{{{NS}}})', "backlog")], "short")
b.panel("Accepted bytes per second", [(f'sum(rate(tu_uploads_bytes_sum{{{NS}}}[$__rate_interval]))', "bytes/s")], "Bps")
b.row("Analysis")
b.panel("Analyses per second by outcome", [(f'sum by (outcome) (rate(tu_analyses_total{{{NS}}}[$__rate_interval]))', "{{outcome}}")], "ops")
b.panel("Inference time per model (mean and max)",
        [(f'sum by (analyzer, model) (rate(tu_analyzer_seconds_sum{{{NS}}}[$__rate_interval])) / sum by (analyzer, model) (rate(tu_analyzer_seconds_count{{{NS}}}[$__rate_interval]))', "mean {{analyzer}} {{model}}"),
         (f'max by (analyzer, model) (tu_analyzer_seconds_max{{{NS}}})', "max {{analyzer}} {{model}}"),
         (f'histogram_quantile(0.95, sum by (analyzer, model, le) (rate(tu_analyzer_seconds_bucket{{{NS}}}[$__rate_interval])))', "p95 {{analyzer}} {{model}}")], "s",
        desc="The p95 series appears only where the timer publishes a histogram (management.metrics.distribution.percentiles-histogram.tu.analyzer=true); the mean and the max always do.")
b.row("Bridge")
b.panel("Bridged messages per second by direction and outcome", [(f'sum by (direction, outcome) (rate(tu_bridge_messages_total{{{NS}}}[$__rate_interval]))', "{{direction}} {{outcome}}")], "ops")
b.panel("Refusals per second by route and reason", [(f'sum by (route, reason) (rate(tu_bridge_refused_total{{{NS}}}[$__rate_interval]))', "{{route}} {{reason}}")], "ops")
b.panel("Bridge Kafka consumer lag (records, max per partition)", [(f'max by (topic) (kafka_consumer_fetch_manager_records_lag_max{{{NS},job=~".*messaging-bridge"}})', "{{topic}}")], "short")
b.panel("Bridge RabbitMQ commands waiting", [(f'max by (direction) (tu_bridge_lag_messages{{{NS}}})', "{{direction}}")], "short")
b.row("Workflows and dead letters")
b.panel("Workflows by state", [(f'max by (state) (tu_workflows{{{NS}}})', "{{state}}")], "short")
b.panel("Dead letters captured per second by source", [(f'sum by (source) (rate(tu_dead_letters_captured_total{{{NS}}}[$__rate_interval]))', "{{source}}")], "ops")
b.row("Edge")
b.panel("Open GraphQL subscriptions", [(f'sum(tu_graphql_subscriptions{{{NS}}})', "open")], "short")
b.panel("HTTP 5xx ratio per service", [(f'sum by (job) (rate(http_server_requests_seconds_count{{{NS},status=~"5.."}}[$__rate_interval])) / sum by (job) (rate(http_server_requests_seconds_count{{{NS}}}[$__rate_interval]))', "{{job}}")], "percentunit")
b.panel("Container restarts (last hour)", [(f'sum by (pod) (increase(kube_pod_container_status_restarts_total{{{NS}}}[1h]))', "{{pod}}")], "short")
b.write("overview")

domain = {
 "ingestion-service": [
   ("Uploads per second by outcome", [('sum by (outcome) (rate(tu_uploads_total{%s}[$__rate_interval]))', "{{outcome}}")], "reqps"),
   ("Rejected uploads by reason", [('sum by (reason) (rate(tu_uploads_total{%s,outcome="rejected"}[$__rate_interval]))', "{{reason}}")], "reqps"),
   ("Outbox backlog", [('max(tu_outbox_backlog{%s})', "backlog")], "short"),
   ("Mean accepted upload size", [('sum(rate(tu_uploads_bytes_sum{%s}[$__rate_interval])) / sum(rate(tu_uploads_bytes_count{%s}[$__rate_interval]))', "mean size")], "bytes"),
 ],
 "ai-vision-adapter": [
   ("Analyses per second by outcome", [('sum by (outcome) (rate(tu_analyses_total{%s}[$__rate_interval]))', "{{outcome}}")], "ops"),
   ("Dead-lettered analyses by reason", [('sum by (reason) (rate(tu_analyses_total{%s,outcome="dead-lettered"}[$__rate_interval]))', "{{reason}}")], "ops"),
   ("Mean inference time per model", [('sum by (analyzer, model) (rate(tu_analyzer_seconds_sum{%s}[$__rate_interval])) / sum by (analyzer, model) (rate(tu_analyzer_seconds_count{%s}[$__rate_interval]))', "{{analyzer}} {{model}}")], "s"),
   ("Max inference time per model", [('max by (analyzer, model) (tu_analyzer_seconds_max{%s})', "{{analyzer}} {{model}}")], "s"),
   ("Kafka listener time (mean)", [('sum by (name) (rate(spring_kafka_listener_seconds_sum{%s}[$__rate_interval])) / sum by (name) (rate(spring_kafka_listener_seconds_count{%s}[$__rate_interval]))', "{{name}}")], "s"),
 ],
 "messaging-bridge": [
   ("Bridged messages by direction and outcome", [('sum by (direction, outcome) (rate(tu_bridge_messages_total{%s}[$__rate_interval]))', "{{direction}} {{outcome}}")], "ops"),
   ("Refusals by route and reason", [('sum by (route, reason) (rate(tu_bridge_refused_total{%s}[$__rate_interval]))', "{{route}} {{reason}}")], "ops"),
   ("Kafka consumer lag (records, max per partition)", [('max by (topic) (kafka_consumer_fetch_manager_records_lag_max{%s})', "{{topic}}")], "short"),
   ("RabbitMQ commands waiting (rabbit-to-kafka lag)", [('max by (direction) (tu_bridge_lag_messages{%s})', "{{direction}}")], "short"),
   ("Kafka listener time (mean)", [('sum by (name) (rate(spring_kafka_listener_seconds_sum{%s}[$__rate_interval])) / sum by (name) (rate(spring_kafka_listener_seconds_count{%s}[$__rate_interval]))', "{{name}}")], "s"),
   ("Rabbit listener time (mean)", [('sum by (name) (rate(spring_rabbit_listener_seconds_sum{%s}[$__rate_interval])) / sum by (name) (rate(spring_rabbit_listener_seconds_count{%s}[$__rate_interval]))', "{{name}}")], "s"),
 ],
 "analysis-orchestrator": [
   ("Workflows by state", [('max by (state) (tu_workflows{%s})', "{{state}}")], "short"),
   ("Dead letters captured by source", [('sum by (source) (rate(tu_dead_letters_captured_total{%s}[$__rate_interval]))', "{{source}}")], "ops"),
   ("Rabbit listener time (mean)", [('sum by (name) (rate(spring_rabbit_listener_seconds_sum{%s}[$__rate_interval])) / sum by (name) (rate(spring_rabbit_listener_seconds_count{%s}[$__rate_interval]))', "{{name}}")], "s"),
   ("Kafka listener time (mean)", [('sum by (name) (rate(spring_kafka_listener_seconds_sum{%s}[$__rate_interval])) / sum by (name) (rate(spring_kafka_listener_seconds_count{%s}[$__rate_interval]))', "{{name}}")], "s"),
 ],
 "graph-gateway": [
   ("Open GraphQL subscriptions", [('sum(tu_graphql_subscriptions{%s})', "open")], "short"),
   ("Rabbit listener time (mean)", [('sum by (name) (rate(spring_rabbit_listener_seconds_sum{%s}[$__rate_interval])) / sum by (name) (rate(spring_rabbit_listener_seconds_count{%s}[$__rate_interval]))', "{{name}}")], "s"),
 ],
 "api-gateway": [],
}
for svc, panels in domain.items():
    sel = f'{NS},job=~".*{svc}"'
    b = Board(f"tu-{svc}", f"tu / {svc}", svc, f"{svc}: requests, errors and duration (RED), the JVM, and its domain metrics.")
    b.row("Requests (RED)")
    b.panel("Requests per second by status", [(f'sum by (status) (rate(http_server_requests_seconds_count{{{sel}}}[$__rate_interval]))', "{{status}}")], "reqps", w=8)
    b.panel("5xx ratio", [(f'sum(rate(http_server_requests_seconds_count{{{sel},status=~"5.."}}[$__rate_interval])) / sum(rate(http_server_requests_seconds_count{{{sel}}}[$__rate_interval]))', "5xx")], "percentunit", w=8)
    b.panel("Mean and max duration by URI", [(f'sum by (uri) (rate(http_server_requests_seconds_sum{{{sel}}}[$__rate_interval])) / sum by (uri) (rate(http_server_requests_seconds_count{{{sel}}}[$__rate_interval]))', "mean {{uri}}"),
                                             (f'max by (uri) (http_server_requests_seconds_max{{{sel}}})', "max {{uri}}")], "s", w=8)
    if panels:
        b.row("Domain")
        for title, targets, unit in panels:
            b.panel(title, [(e.replace("%s", sel), l) for e, l in targets], unit)
    b.row("JVM and pods")
    b.panel("Heap used / max", [(f'sum by (pod) (jvm_memory_used_bytes{{{sel},area="heap"}})', "used {{pod}}"), (f'sum by (pod) (jvm_memory_max_bytes{{{sel},area="heap"}})', "max {{pod}}")], "bytes", w=8)
    b.panel("GC pause time per second", [(f'sum by (pod) (rate(jvm_gc_pause_seconds_sum{{{sel}}}[$__rate_interval]))', "{{pod}}")], "s", w=8)
    b.panel("Live threads", [(f'sum by (pod) (jvm_threads_live_threads{{{sel}}})', "{{pod}}")], "short", w=8)
    b.panel("Process CPU", [(f'sum by (pod) (process_cpu_usage{{{sel}}})', "{{pod}}")], "percentunit", w=8)
    b.panel("Scrape target up", [(f'sum by (pod) (up{{{sel}}})', "{{pod}}")], "short", w=8)
    b.panel("Container restarts (last hour)", [(f'sum by (pod) (increase(kube_pod_container_status_restarts_total{{{NS},pod=~".*{svc}.*"}}[1h]))', "{{pod}}")], "short", w=8)
    b.write(svc)
