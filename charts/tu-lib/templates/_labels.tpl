{{/*
Selector labels: the stable subset a Deployment selects its pods by. Never add to them after the
first release (a Deployment's selector is immutable).
*/}}
{{- define "tu-lib.selectorLabels" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end -}}

{{/* Every label: the selector labels plus what tools and people read. */}}
{{- define "tu-lib.labels" -}}
{{ include "tu-lib.selectorLabels" . }}
helm.sh/chart: {{ include "tu-lib.chart" .root }}
app.kubernetes.io/version: {{ (.tag | default .root.Chart.AppVersion) | toString | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: tu
app.kubernetes.io/component: {{ .component | default "service" }}
{{- end -}}
