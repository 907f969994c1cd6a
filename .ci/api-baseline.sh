#!/usr/bin/env bash
# Accepts the current public API: builds the library modules and copies each jar to
# <module>/api/baseline.jar, the baseline the api-check profile compares every later build with
# (see the parent POM). Run it after a deliberate API change and commit the jars with the change.
# Builds are reproducible, so the same sources always give byte-identical baselines.
set -euo pipefail
cd "$(dirname "$0")/.."
modules=(kvstore-core kvstore-redis kvstore-sqlite kvstore-testkit kvstore-testkit-redis
  kvstore-micrometer kvstore-opentelemetry
  kvstore-jackson3 kvstore-spring-boot-autoconfigure)
list=$(IFS=,; echo "${modules[*]}")
./mvnw -B -ntp -q package -DskipTests -Dmaven.javadoc.skip -Dmaven.source.skip -Djapicmp.skip \
  -pl "$list" -am "$@"
for m in "${modules[@]}"; do
  jar=$(ls "$m"/target/"$m"-*.jar | grep -v -- '-sources\|-javadoc\|-tests' | head -1)
  mkdir -p "$m/api"
  cp "$jar" "$m/api/baseline.jar"
  # Only the API is compared: internal packages and Maven metadata stay out of the baseline.
  zip -q -d "$m/api/baseline.jar" '*/internal/*' 'META-INF/maven/*' >/dev/null 2>&1 || true
  echo "api: $m/api/baseline.jar <- $jar ($(stat -c %s "$m/api/baseline.jar") bytes)"
done
