#!/usr/bin/env bash
# The tu command line (client-console) from this checkout: ./tu --help, ./tu login, ./tu upload photo.jpg …
# Builds the jar on first use (./mvnw -pl client-console package).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/scripts/lib/common.sh"
ROOT="$(tu_root)"
JAVA_HOME="$(tu_java_home)" || tu_die "JDK 25 not found: install Temurin 25 (or set JAVA_HOME to a JDK 25)"
jars=("$ROOT"/client-console/target/client-console-*-exec.jar)
if [[ ! -f "${jars[0]}" ]]; then
  JAVA_HOME="$JAVA_HOME" "$ROOT/mvnw" -B -q -f "$ROOT/pom.xml" -pl client-console -am -DskipTests package >&2
  jars=("$ROOT"/client-console/target/client-console-*-exec.jar)
fi
jar="${jars[0]}"
exec "$JAVA_HOME/bin/java" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar "$jar" "$@"
