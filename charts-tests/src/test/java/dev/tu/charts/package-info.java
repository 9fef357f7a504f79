/**
 * Tests of charts/ with real Helm (helm-java embeds Helm 3.16): lint, every values scenario rendered and
 * compared with its golden snapshot, the cluster policies asserted over the rendered objects, strict
 * parsing with fabric8's Kubernetes model, the values schema and validateValues failures, the
 * chart-to-app contract, and shellcheck over the scripts.
 */
package dev.tu.charts;
