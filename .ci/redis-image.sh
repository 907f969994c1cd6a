#!/usr/bin/env bash
# Builds a local Redis image for the Testcontainers tests from this machine's own redis-server
# and the shared libraries ldd lists: no registry is reachable from CI, so nothing is pulled.
# Usage: .ci/redis-image.sh [image-name]   (default kvstore/redis-local:<redis version>)
# Prints the image name. Needs docker and redis-server on PATH.
set -euo pipefail

# Debian links redis-server to redis-check-rdb: one binary that acts by the name it runs under.
bin="$(readlink -f "$(command -v redis-server)")"
version="$(redis-server --version | sed -n 's/.*v=\([0-9.]*\).*/\1/p')"
image="${1:-kvstore/redis-local:$version}"

root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/usr/local/bin" "$root/tmp"
chmod 1777 "$root/tmp"
cp "$bin" "$root/usr/local/bin/redis-server"
# "libx.so => /lib/.../libx.so (0x...)" and the loader's "/lib64/ld-linux-x86-64.so.2 (0x...)".
for lib in $(ldd "$bin" | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}'); do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done

tar -C "$root" -c . | docker import \
  --change 'ENV PATH=/usr/local/bin:/usr/bin:/bin' \
  --change 'CMD ["redis-server"]' - "$image" >/dev/null
echo "$image"
