# Multi-stage build: a Swift 6 image to build, a slim Debian runtime with librdkafka and libcurl.
FROM swift:6.2-bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends librdkafka-dev libcurl4-openssl-dev pkg-config \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# The manifest names the test targets too, so their folders must exist for SwiftPM to load it (only the
# `streamer` product is built).
COPY Package.swift ./
COPY Sources ./Sources
COPY Tests ./Tests
# The Swift runtime and libraries linked in (scripts/build-release says how and why).
COPY scripts/build-release ./scripts/build-release
RUN cp "$(scripts/build-release)" /streamer

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends librdkafka1 libcurl4 ca-certificates tzdata \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 streamer
COPY --from=build /streamer /usr/local/bin/streamer
USER streamer
# The operations endpoint (/metrics, /health, /ready) when started with --metrics-port 9464 or
# STREAMER_METRICS_PORT=9464.
EXPOSE 9464
# SIGTERM (docker stop) finishes the open transaction and exits 0.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/streamer"]
CMD ["run"]
