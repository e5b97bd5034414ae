# slabot in a container: `slabot serve` as a non-root user, listening on 0.0.0.0:$SLABOT_PORT (8080),
# its database on the volume /var/lib/slabot, its config at /etc/slabot/slabot.json (mount your own;
# the default is packaging/docker.json), its secrets from the environment. README: Running as a service.
#
# Build stage: the same install and build scripts as the README and CI, without the tests.
FROM debian:bookworm AS build
WORKDIR /src
COPY scripts/install-deps.sh scripts/install-deps.sh
RUN ./scripts/install-deps.sh && rm -rf /var/lib/apt/lists/*
COPY . .
RUN ./scripts/build.sh -DBUILD_TESTING=OFF && strip build/app/slabot

# Runtime stage: only the runtime counterparts of install-deps.sh's -dev packages, those the binary
# links (libsqlite3-dev: libsqlite3-0, libspdlog-dev: libspdlog1.10 and libfmt9, libssl-dev: libssl3, prometheus-cpp-dev: libprometheus-cpp-core1.0,
# libedit-dev: libedit2 and what it loads, libbsd0, libmd0 and libtinfo6; libhowardhinnant-date-dev:
# libdate-tz3, and tzdata, the zones it reads from /usr/share/zoneinfo; libprotobuf-dev: libprotobuf32 and the zlib1g it loads;
# libgoogle-perftools-dev: libtcmalloc-minimal4, the allocator;
# Boost, nlohmann-json and SQLiteCpp are headers or linked in statically; libc6, libgcc-s1 and
# libstdc++6 are in the base image); tests/packaging/check_dockerfile.sh checks this list against
# the built binary. ca-certificates for the platforms' HTTPS; curl for the HEALTHCHECK.
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends libsqlite3-0 libspdlog1.10 libfmt9 libssl3 libprometheus-cpp-core1.0 libedit2 libbsd0 libmd0 libtinfo6 libdate-tz3 libprotobuf32 zlib1g libtcmalloc-minimal4 tzdata ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --home-dir /var/lib/slabot --shell /usr/sbin/nologin slabot \
 && install -d -o slabot -g slabot -m 0750 /var/lib/slabot
COPY --from=build /src/build/app/slabot /usr/bin/slabot
COPY packaging/docker.json /etc/slabot/slabot.json
# Each country's public holidays (config "holidays_dir", by default this directory).
COPY config/holidays/ /etc/slabot/holidays/
# The port the default config listens on ("listen": "0.0.0.0:${SLABOT_PORT}") and the health check asks.
ENV SLABOT_PORT=8080
USER slabot
# The config's "database" ("slabot.db") is relative to the working directory: on the volume.
WORKDIR /var/lib/slabot
VOLUME ["/var/lib/slabot"]
EXPOSE 8080
# /healthz is 200 while the database answers, 503 otherwise.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD curl -fsS -o /dev/null "http://127.0.0.1:${SLABOT_PORT}/healthz" || exit 1
# SIGTERM drains: every request in hand is answered within http.shutdown_timeout (10s), then the
# outbox's send in flight (at most 15 s); give `docker stop` longer than its default 10 s
# (`docker run --stop-timeout 45`, `docker stop -t 45`).
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/bin/slabot"]
CMD ["serve", "--config", "/etc/slabot/slabot.json"]
