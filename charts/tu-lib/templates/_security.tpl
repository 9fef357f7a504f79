{{/*
Pod Security "restricted": non-root, no privilege escalation, every capability dropped, the
runtime's default seccomp profile, and a read-only root filesystem (writable paths are emptyDirs).
*/}}
{{- define "tu-lib.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .runAsUser | default 10001 }}
runAsGroup: {{ .runAsUser | default 10001 }}
fsGroup: {{ .runAsUser | default 10001 }}
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "tu-lib.containerSecurityContext" -}}
runAsNonRoot: true
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
privileged: false
capabilities:
  drop:
    - ALL
seccompProfile:
  type: RuntimeDefault
{{- end -}}
