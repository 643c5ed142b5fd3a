# syntax=docker/dockerfile:1
#
# aiscout in a container: a single offline binary on a small Debian base, as an
# unprivileged user (uid 10001), with `aiscout` as the entrypoint.
#
#   docker build -t aiscout .                                   # the default target, `runtime`
#   docker run --rm -v "$PWD:/src:ro" aiscout scan /src         # scan the current directory
#   docker run --rm -v "$PWD:/src:ro" aiscout scan /src --fail-on secret -f sarif -o /dev/stdout
#
#   docker build --target org-scan -t aiscout:org-scan .        # + git, curl, jq (deploy/README.md)
#
# scripts/docker-build builds and smoke-tests both targets where a Docker engine runs.

# ---- build ------------------------------------------------------------------------
FROM rust:1-bookworm AS build
WORKDIR /src
# Only what the build reads (build.rs embeds rules/*.yaml); .dockerignore keeps the rest
# (target/, gigabytes) out of the context.
COPY Cargo.toml Cargo.lock build.rs LICENSE ./
COPY src ./src
COPY rules ./rules
# --locked: exactly the dependency versions of Cargo.lock. The cache mounts keep the
# crate downloads and compiled dependencies between builds (BuildKit); the binary is
# copied out of the cached target directory, which does not persist in the layer.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked \
 && install -D -m 0755 target/release/aiscout /out/aiscout \
 && strip /out/aiscout \
 && /out/aiscout --version

# ---- org-scan: the runtime plus git (mirroring), curl and jq (alerts) ---------------
# For the scheduled organisation scans of deploy/ (Kubernetes CronJob, shell scripts).
FROM debian:bookworm-slim AS org-scan
# Unpinned on purpose: a weekly rebuild picks up Debian's security fixes for git and curl.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates git curl jq \
 && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 aiscout \
 && useradd --system --uid 10001 --gid 10001 --home-dir /home/aiscout --create-home \
      --shell /usr/sbin/nologin aiscout
COPY --from=build /out/aiscout /usr/local/bin/aiscout
COPY --from=build /src/LICENSE /usr/share/doc/aiscout/LICENSE
USER 10001:10001
WORKDIR /home/aiscout
ENTRYPOINT ["aiscout"]
CMD ["--help"]

# ---- runtime (default): aiscout alone -----------------------------------------------
# aiscout reads git with its own libgit2 and never touches the network, so the image
# needs nothing but the binary and glibc.
FROM debian:bookworm-slim AS runtime
RUN groupadd --system --gid 10001 aiscout \
 && useradd --system --uid 10001 --gid 10001 --home-dir /home/aiscout --create-home \
      --shell /usr/sbin/nologin aiscout
COPY --from=build /out/aiscout /usr/local/bin/aiscout
COPY --from=build /src/LICENSE /usr/share/doc/aiscout/LICENSE
USER 10001:10001
WORKDIR /src
ENTRYPOINT ["aiscout"]
CMD ["--help"]
