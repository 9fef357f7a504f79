{{/*
One service's settings: serviceDefaults overlaid with services.<name>. Returns YAML; callers use
  {{- $svc := include "tu.service" (dict "root" $ "name" $name) | fromYaml }}
*/}}
{{- define "tu.service" -}}
{{- $own := index .root.Values.services .name -}}
{{- $merged := mergeOverwrite (deepCopy .root.Values.serviceDefaults) (deepCopy $own) -}}
{{- $_ := set $merged "name" .name -}}
{{- $_ := set $merged "fullname" (include "tu-lib.fullname" .) -}}
{{- $_ := set $merged "effectiveReplicas" (ternary $merged.autoscaling.minReplicas $merged.replicaCount $merged.autoscaling.enabled) -}}
{{- toYaml $merged -}}
{{- end -}}

{{/* The image of a service: <registry>/<prefix>/<service>:<tag or appVersion>. */}}
{{- define "tu.image" -}}
{{- $image := .root.Values.image -}}
{{- $repository := printf "%s/%s" $image.repositoryPrefix .name -}}
{{- if $image.registry -}}
{{- $repository = printf "%s/%s" $image.registry $repository -}}
{{- end -}}
{{- printf "%s:%s" $repository (include "tu.imageTag" .root) -}}
{{- end -}}

{{- define "tu.imageTag" -}}
{{- .Values.image.tag | default .Chart.AppVersion | toString -}}
{{- end -}}

{{/*
The plain environment of a service (its ConfigMap): what every service gets from the chart, then
the service's env (templates allowed), then extraEnv. Returns YAML.
*/}}
{{- define "tu.env" -}}
{{- $root := .root -}}
{{- $svc := .svc -}}
{{- $env := dict
    "SERVER_PORT" ($root.Values.ports.http | toString)
    "MANAGEMENT_SERVER_PORT" ($root.Values.ports.management | toString)
    "SERVER_ADDRESS" "0.0.0.0"
    "SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUERURI" $root.Values.oidc.issuerUri
    "SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_JWKSETURI" $root.Values.oidc.jwkSetUri
    "JAVA_TOOL_OPTIONS" $svc.jvmOptions
    "MANAGEMENT_TRACING_EXPORT_ZIPKIN_ENABLED" "false" -}}
{{- if $root.Values.infrastructure.otel.enabled -}}
{{- $_ := set $env "MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT" $root.Values.infrastructure.otel.endpoint -}}
{{- end -}}
{{- range $key, $value := $svc.env -}}
{{- $_ := set $env $key (tpl (toString $value) $root) -}}
{{- end -}}
{{- range $key, $value := $svc.extraEnv -}}
{{- $_ := set $env $key (tpl (toString $value) $root) -}}
{{- end -}}
{{- toYaml $env -}}
{{- end -}}

{{/* Names of the enabled services, sorted. */}}
{{- define "tu.enabledServices" -}}
{{- $names := list -}}
{{- range $name, $values := .Values.services -}}
{{- if $values.enabled -}}
{{- $names = append $names $name -}}
{{- end -}}
{{- end -}}
{{- toJson (sortAlpha $names) -}}
{{- end -}}
