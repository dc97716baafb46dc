# dockgate's own image: `docker build -t dockgate .`, then
#   docker run --rm -v "$PWD:/work" -w /work dockgate gate trivy.json
# The build stage compiles and packages dockgate (cpack); the runtime stage installs only that
# .deb, so the image carries the binary and exactly the libraries the package depends on.
# INSTALL_SCANNERS=true adds bandit (the one scanner Debian packages); hadolint, trivy and grype
# are single binaries: mount or COPY them in a derived image.
ARG BASE_IMAGE=debian:bookworm-slim@sha256:4b50eb66f977b4062683ff434ef18ac191da862dbe966961bc11990cf5791a8d

FROM ${BASE_IMAGE} AS build
ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
 && apt-get upgrade -y \
 && apt-get install -y --no-install-recommends \
      g++ cmake ninja-build pkg-config file dpkg-dev \
      nlohmann-json3-dev libpugixml-dev libcli11-dev libspdlog-dev libfmt-dev doctest-dev libyaml-cpp-dev \
      libcurl4-openssl-dev libsimdjson-dev nettle-dev libarchive-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY CMakeLists.txt ./
COPY cmake ./cmake
COPY schemas ./schemas
COPY src ./src
COPY adapters ./adapters
COPY tests ./tests
ARG GIT_COMMIT=unknown
RUN DOCKGATE_GIT_COMMIT="${GIT_COMMIT}" cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release \
 && cmake --build build --target dockgate dockgate_cli_docs \
 && cd build && cpack -G DEB && mv dockgate_*_amd64.deb /dockgate.deb

FROM ${BASE_IMAGE}
ARG DEBIAN_FRONTEND=noninteractive
ARG INSTALL_SCANNERS=false
ARG GIT_COMMIT=unknown
COPY --from=build /dockgate.deb /tmp/dockgate.deb
RUN apt-get update \
 && apt-get upgrade -y \
 && apt-get install -y --no-install-recommends /tmp/dockgate.deb ca-certificates libcurl4 \
 && if [ "$INSTALL_SCANNERS" = true ]; then apt-get install -y --no-install-recommends python3-bandit; fi \
 && rm -rf /var/lib/apt/lists/* /tmp/dockgate.deb \
 && useradd --uid 10001 --create-home --shell /usr/sbin/nologin dockgate
LABEL org.opencontainers.image.title="dockgate" \
      org.opencontainers.image.description="Gate Docker images in CI: lint, vulnerabilities, smoke test and size in one verdict" \
      org.opencontainers.image.source="https://github.com/dockgate/dockgate" \
      org.opencontainers.image.revision="${GIT_COMMIT}" \
      org.opencontainers.image.licenses="MIT"
USER 10001:10001
WORKDIR /work
# A CLI, not a service: the check is that the binary starts.
HEALTHCHECK --interval=5m --timeout=5s CMD ["dockgate", "--version"]
ENTRYPOINT ["dockgate"]
CMD ["--help"]
