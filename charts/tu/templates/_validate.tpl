{{/*
validateValues: every combination that cannot work fails the render, listing each problem with its
fix. Called from NOTES.txt and from every template that ranges over services, so `helm template`
fails too.
*/}}
{{- define "tu.validateValues" -}}
{{- $root := . -}}
{{- $messages := list -}}
{{- $messages = append $messages (include "tu-lib.validate.imageTag" (dict "where" "image.tag" "tag" (include "tu.imageTag" $root))) -}}
{{- $enabled := include "tu.enabledServices" $root | fromJsonArray -}}
{{- if not $enabled -}}
{{- $messages = append $messages "services: no service is enabled. Fix: set services.<name>.enabled=true for at least one service." -}}
{{- end -}}
{{- range $name := $enabled -}}
{{- $svc := include "tu.service" (dict "root" $root "name" $name) | fromYaml -}}
{{- $where := printf "services.%s" $name -}}
{{- if and (eq (toString $svc.strategy.maxSurge) "0") (eq (toString $svc.strategy.maxUnavailable) "0") -}}
{{- $messages = append $messages (printf "%s.strategy: maxSurge and maxUnavailable are both 0, so a rolling update can never make progress. Fix: set maxSurge to 1 (keeps full capacity) or maxUnavailable to 1." $where) -}}
{{- end -}}
{{- if and $svc.autoscaling.enabled (gt (int $svc.autoscaling.minReplicas) (int $svc.autoscaling.maxReplicas)) -}}
{{- $messages = append $messages (printf "%s.autoscaling: minReplicas (%v) is above maxReplicas (%v). Fix: raise maxReplicas or lower minReplicas." $where $svc.autoscaling.minReplicas $svc.autoscaling.maxReplicas) -}}
{{- end -}}
{{- if and (gt (int $svc.effectiveReplicas) 1) (ge (int $svc.pdb.maxUnavailable) (int $svc.effectiveReplicas)) -}}
{{- $messages = append $messages (printf "%s.pdb.maxUnavailable (%v) lets a drain evict all %v replicas at once. Fix: set it below the replica count, e.g. 1." $where $svc.pdb.maxUnavailable $svc.effectiveReplicas) -}}
{{- end -}}
{{- range $peer := $svc.calls -}}
{{- if not (has $peer $enabled) -}}
{{- $messages = append $messages (printf "%s.calls names %q, which is not an enabled service. Fix: enable services.%s or remove it from calls." $where $peer $peer) -}}
{{- end -}}
{{- end -}}
{{- range $peer := $svc.uses -}}
{{- if not (hasKey $root.Values.infrastructure $peer) -}}
{{- $messages = append $messages (printf "%s.uses names %q, which is not under infrastructure. Fix: use one of kafka, rabbitmq, postgres, objectStore, keycloak, otel." $where $peer) -}}
{{- end -}}
{{- end -}}
{{- range $var, $ref := $svc.secretEnv -}}
{{- if not $ref.existingSecret -}}
{{- $messages = append $messages (printf "%s.secretEnv.%s has no existingSecret. Fix: create the Secret (kind/up.sh shows how) and name it here; credentials never go into values." $where $var) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- if and $root.Values.edge.enabled (not $root.Values.edge.tls.secretName) -}}
{{- $messages = append $messages "edge.tls.secretName is empty: the console and API hosts would be served without TLS. Fix: create a kubernetes.io/tls Secret (kind/up.sh does) and set edge.tls.secretName." -}}
{{- end -}}
{{- if and $root.Values.edge.enabled (not (has "api-gateway" $enabled)) -}}
{{- $messages = append $messages "edge.enabled is true but services.api-gateway is disabled: Kong would route to nothing. Fix: enable the api-gateway or set edge.enabled=false." -}}
{{- end -}}
{{- include "tu-lib.validate.fail" $messages -}}
{{- end -}}
