{{/*
validateValues pattern: each check returns a message (with the fix) or nothing; the caller joins
them and fails once, listing every problem.
*/}}

{{/* An image tag that cannot roll back: empty after defaults, or a floating one. Takes (dict "where" "<path>" "tag" <tag>). */}}
{{- define "tu-lib.validate.imageTag" -}}
{{- $tag := .tag | toString -}}
{{- if or (eq $tag "") (eq $tag "latest") (hasSuffix ":latest" $tag) -}}
{{ .where }}: the image tag {{ $tag | quote }} floats, so `helm rollback` could not bring the previous version back. Fix: set {{ .where }} to a version such as "0.1.0" (leave it empty to use the chart's appVersion).
{{- end -}}
{{- end -}}

{{/* Fails with every message in the list, one a line. Takes a list of strings. */}}
{{- define "tu-lib.validate.fail" -}}
{{- $messages := without . "" -}}
{{- if $messages -}}
{{- printf "\nVALUES VALIDATION:\n%s" (join "\n" $messages) | fail -}}
{{- end -}}
{{- end -}}
