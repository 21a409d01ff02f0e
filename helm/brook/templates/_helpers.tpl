{{/*
Names. The release's full name prefixes every object; each part (broker, gateway, zookeeper)
adds its own suffix, so that one release is one Brook cluster.
*/}}
{{- define "brook.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
At most 40 characters: a broker pod is "<fullname>-broker-<ordinal>", its StatefulSet's
controller-revision-hash label value adds about 11, and labels stop at 63.
*/}}
{{- define "brook.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 40 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "brook.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "brook.labels" -}}
helm.sh/chart: {{ include "brook.chart" . }}
app.kubernetes.io/name: {{ include "brook.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: brook
{{- end }}

{{/* Selector labels of one part: call with (dict "ctx" $ "component" "broker"). */}}
{{- define "brook.selectorLabels" -}}
app.kubernetes.io/name: {{ include "brook.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "brook.componentLabels" -}}
{{ include "brook.labels" .ctx }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "brook.broker.fullname" -}}{{ include "brook.fullname" . }}-broker{{- end }}
{{- define "brook.broker.headless" -}}{{ include "brook.fullname" . }}-broker-headless{{- end }}
{{- define "brook.gateway.fullname" -}}{{ include "brook.fullname" . }}-gateway{{- end }}
{{- define "brook.zookeeper.fullname" -}}{{ include "brook.fullname" . }}-zookeeper{{- end }}
{{- define "brook.zookeeper.headless" -}}{{ include "brook.fullname" . }}-zookeeper-headless{{- end }}

{{- define "brook.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "brook.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* An image reference: call with (dict "image" .Values.broker.image "ctx" $). */}}
{{- define "brook.image" -}}
{{- $tag := .image.tag | default .ctx.Chart.AppVersion }}
{{- if .image.registry }}
{{- printf "%s/%s:%s" .image.registry .image.repository $tag }}
{{- else }}
{{- printf "%s:%s" .image.repository $tag }}
{{- end }}
{{- end }}

{{/*
The DNS name of broker pod N, "<pod>.<headless service>.<namespace>.svc.<cluster domain>":
stable across restarts and rescheduling, which is why brokers are a StatefulSet.
*/}}
{{- define "brook.broker.podFqdn" -}}
{{- printf "%s-%d.%s.%s.svc.%s" (include "brook.broker.fullname" .ctx) (int .ordinal) (include "brook.broker.headless" .ctx) .ctx.Release.Namespace .ctx.Values.clusterDomain }}
{{- end }}

{{/* The bootstrap address in the cluster: the broker Service, on the internal listener. */}}
{{- define "brook.broker.bootstrap" -}}
{{- printf "%s.%s.svc.%s:%d" (include "brook.broker.fullname" .) .Release.Namespace .Values.clusterDomain (int .Values.broker.ports.internal) }}
{{- end }}

{{/* ZooKeeper's connect string: the chart's ensemble pod by pod, or the given one. */}}
{{- define "brook.zookeeper.connect" -}}
{{- if .Values.zookeeper.enabled }}
{{- $hosts := list }}
{{- range $i := until (int .Values.zookeeper.replicas) }}
{{- $hosts = append $hosts (printf "%s-%d.%s.%s.svc.%s:%d" (include "brook.zookeeper.fullname" $) $i (include "brook.zookeeper.headless" $) $.Release.Namespace $.Values.clusterDomain (int $.Values.zookeeper.ports.client)) }}
{{- end }}
{{- join "," $hosts }}
{{- else }}
{{- required "zookeeper.connect is required when zookeeper.enabled=false (host:port,... of an existing ensemble)" .Values.zookeeper.connect }}
{{- end }}
{{- end }}

{{/*
The security protocol of every listener and of the gateway's client: TLS and SASL are turned on
for the whole cluster at once, as Kafka names the combinations.
*/}}
{{- define "brook.securityProtocol" -}}
{{- if and .Values.tls.enabled .Values.sasl.enabled }}SASL_SSL
{{- else if .Values.tls.enabled }}SSL
{{- else if .Values.sasl.enabled }}SASL_PLAINTEXT
{{- else }}PLAINTEXT
{{- end }}
{{- end }}

{{/* Named listeners are needed once there is more than one plain listener. */}}
{{- define "brook.broker.namedListeners" -}}
{{- if or .Values.tls.enabled .Values.sasl.enabled .Values.broker.external.enabled }}true{{- end }}
{{- end }}

{{/* The Secret with the SASL username/password the brokers use between themselves. */}}
{{- define "brook.interBroker.secret" -}}
{{- default .Values.auth.bootstrapAdmin.existingSecret .Values.sasl.interBroker.existingSecret }}
{{- end }}

{{/* The Secret with the SASL username/password the gateway's Kafka clients use. */}}
{{- define "brook.gatewayClient.secret" -}}
{{- default .Values.auth.bootstrapAdmin.existingSecret .Values.gateway.kafkaCredentials.existingSecret }}
{{- end }}

{{/* The Secret holding the keystore and truststore passwords. */}}
{{- define "brook.tls.passwordsSecret" -}}
{{- default .Values.tls.existingSecret .Values.tls.passwordsSecret }}
{{- end }}

{{/*
The external address advertised by broker N: advertisedAddresses[N] if given; for NodePort
"<host>:<nodePortBase + N>"; for LoadBalancer "<pod>.<domain>:<port>" (a DNS name per broker,
e.g. kept by external-dns from the Service's annotations).
*/}}
{{- define "brook.broker.externalAddress" -}}
{{- $ext := .ctx.Values.broker.external }}
{{- $i := int .ordinal }}
{{- if $ext.advertisedAddresses }}
{{- if lt $i (len $ext.advertisedAddresses) }}
{{- index $ext.advertisedAddresses $i }}
{{- else }}
{{- fail (printf "broker.external.advertisedAddresses has %d entries but broker.replicas is %d: give one per broker" (len $ext.advertisedAddresses) (int .ctx.Values.broker.replicas)) }}
{{- end }}
{{- else if eq $ext.type "NodePort" }}
{{- printf "%s:%d" (required "broker.external.host (an address that reaches the nodes) or broker.external.advertisedAddresses is required for NodePort external access" $ext.host) (add (int $ext.nodePortBase) $i) }}
{{- else }}
{{- printf "%s-%d.%s:%d" (include "brook.broker.fullname" .ctx) $i (required "broker.external.domain or broker.external.advertisedAddresses is required for LoadBalancer external access" $ext.domain) (int $ext.port) }}
{{- end }}
{{- end }}

{{/* Pod anti-affinity keeping pods of one part on different nodes, soft or hard. */}}
{{- define "brook.antiAffinity" -}}
{{- $selector := include "brook.selectorLabels" (dict "ctx" .ctx "component" .component) | fromYaml }}
{{- if eq .mode "hard" }}
podAntiAffinity:
  requiredDuringSchedulingIgnoredDuringExecution:
    - topologyKey: {{ .topologyKey }}
      labelSelector:
        matchLabels:
          {{- toYaml $selector | nindent 10 }}
{{- else if eq .mode "soft" }}
podAntiAffinity:
  preferredDuringSchedulingIgnoredDuringExecution:
    - weight: 100
      podAffinityTerm:
        topologyKey: {{ .topologyKey }}
        labelSelector:
          matchLabels:
            {{- toYaml $selector | nindent 12 }}
{{- end }}
{{- end }}

{{- define "brook.topologySpread" -}}
{{- if .spread.enabled }}
topologySpreadConstraints:
  - maxSkew: {{ .spread.maxSkew }}
    topologyKey: {{ .spread.topologyKey }}
    whenUnsatisfiable: {{ .spread.whenUnsatisfiable }}
    labelSelector:
      matchLabels:
        {{- include "brook.selectorLabels" (dict "ctx" .ctx "component" .component) | nindent 8 }}
{{- end }}
{{- end }}

{{/* JAVA_TOOL_OPTIONS: the heap from the container's memory limit, or a fixed -Xmx. */}}
{{- define "brook.javaToolOptions" -}}
{{- $opts := list }}
{{- if .xmx }}
{{- $opts = append $opts (printf "-Xmx%s" .xmx) }}
{{- else }}
{{- $opts = append $opts (printf "-XX:MaxRAMPercentage=%v" .maxRamPercentage) }}
{{- end }}
{{- $opts = append $opts "-XX:+ExitOnOutOfMemoryError" }}
{{- if .extraOpts }}
{{- $opts = append $opts .extraOpts }}
{{- end }}
{{- join " " $opts }}
{{- end }}

{{/* An environment variable read from a Secret key. */}}
{{- define "brook.secretEnv" -}}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ .secret }}
      key: {{ .key }}
{{- end }}

{{/*
Checks across values that values.schema.json cannot express; rendered by every template that
depends on them, so that a bad combination fails `helm template` and `helm install` alike.
*/}}
{{- define "brook.validate" -}}
{{- $b := .Values.broker }}
{{- if gt (int $b.config.minInsyncReplicas) (int $b.config.defaultReplicationFactor) }}
{{- fail (printf "broker.config.minInsyncReplicas (%d) cannot exceed broker.config.defaultReplicationFactor (%d): acks=all could never succeed" (int $b.config.minInsyncReplicas) (int $b.config.defaultReplicationFactor)) }}
{{- end }}
{{- if gt (int $b.config.defaultReplicationFactor) (int $b.replicas) }}
{{- fail (printf "broker.config.defaultReplicationFactor (%d) cannot exceed broker.replicas (%d)" (int $b.config.defaultReplicationFactor) (int $b.replicas)) }}
{{- end }}
{{- $needed := add (int $b.preStopSleepSeconds) (int $b.config.controlledShutdownTimeoutSeconds) (int $b.config.shutdownTimeoutSeconds) 10 }}
{{- if lt (int $b.terminationGracePeriodSeconds) (int $needed) }}
{{- fail (printf "broker.terminationGracePeriodSeconds (%d) must be at least preStopSleepSeconds + config.controlledShutdownTimeoutSeconds + config.shutdownTimeoutSeconds + 10 = %d, or Kubernetes kills a broker in the middle of its controlled shutdown" (int $b.terminationGracePeriodSeconds) (int $needed)) }}
{{- end }}
{{- if .Values.sasl.enabled }}
{{- if not (include "brook.interBroker.secret" .) }}
{{- fail "sasl.enabled needs the brokers' own credentials: set sasl.interBroker.existingSecret or auth.bootstrapAdmin.existingSecret" }}
{{- end }}
{{- if and .Values.gateway.enabled (not (include "brook.gatewayClient.secret" .)) }}
{{- fail "sasl.enabled needs the gateway's client credentials: set gateway.kafkaCredentials.existingSecret or auth.bootstrapAdmin.existingSecret" }}
{{- end }}
{{- end }}
{{- if and .Values.gateway.enabled .Values.gateway.security.enabled (not .Values.gateway.security.tokenSecret.existingSecret) }}
{{- fail "gateway.security.enabled needs gateway.security.tokenSecret.existingSecret (the key that signs bearer tokens)" }}
{{- end }}
{{- end }}

{{/* ZOO_SERVERS for the official image: "server.<id>=<host>:<follower>:<election>;<client>" each. */}}
{{- define "brook.zookeeper.servers" -}}
{{- $zk := .Values.zookeeper }}
{{- $servers := list }}
{{- range $i := until (int $zk.replicas) }}
{{- $host := printf "%s-%d.%s.%s.svc.%s" (include "brook.zookeeper.fullname" $) $i (include "brook.zookeeper.headless" $) $.Release.Namespace $.Values.clusterDomain }}
{{- $servers = append $servers (printf "server.%d=%s:%d:%d;%d" (add $i 1) $host (int $zk.ports.follower) (int $zk.ports.election) (int $zk.ports.client)) }}
{{- end }}
{{- join " " $servers }}
{{- end }}
