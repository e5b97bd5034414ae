# slabot: build on Debian 12 with the same install script as the README and CI, run as non-root.
FROM debian:12 AS build
WORKDIR /src
COPY scripts/install-deps.sh scripts/install-deps.sh
RUN ./scripts/install-deps.sh && rm -rf /var/lib/apt/lists/*
COPY . .
RUN cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF \
 && cmake --build build -j "$(nproc)" \
 && strip build/app/slabot

FROM debian:12-slim
# Runtime libraries only: the shared objects the binary links (SQLiteCpp and spdlog are linked
# statically or header-only; sqlite3, fmt, spdlog, OpenSSL and prometheus-cpp's core come as
# Debian's runtime packages).
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates libsqlite3-0 libspdlog1.10 libfmt9 libssl3 libprometheus-cpp-core1.0 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /var/lib/slabot --create-home slabot
COPY --from=build /src/build/app/slabot /usr/local/bin/slabot
COPY config/example.json /etc/slabot/config.json
USER slabot
WORKDIR /var/lib/slabot
VOLUME ["/var/lib/slabot"]
EXPOSE 8080
# Point "database" in the config at /var/lib/slabot/slabot.db so it lands on the volume.
ENTRYPOINT ["/usr/local/bin/slabot"]
CMD ["serve", "--config", "/etc/slabot/config.json"]
