{{/*
Names. Every helper takes a dict: (dict "root" $ "name" "<service>").
*/}}

{{/* The object name of a service: <release>-<service>, at most 63 characters. */}}
{{- define "tu-lib.fullname" -}}
{{- printf "%s-%s" .root.Release.Name .name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Chart name and version, as the helm.sh/chart label wants it. */}}
{{- define "tu-lib.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}
