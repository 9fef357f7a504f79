{{/*
A checksum of anything (a dict of settings, a rendered template): put in a pod annotation, a change
rolls the pods. Takes the object to hash.
*/}}
{{- define "tu-lib.checksum" -}}
{{- toJson . | sha256sum -}}
{{- end -}}
