# The prometheus binary in a container, for CI jobs (docs/LOOP.md): the
# nightly `prometheus run`, the /optimize comment trigger, GitLab CI and
# Azure Pipelines.
#
#   docker build -t prometheus .
#   docker run --rm -e GITHUB_TOKEN -v "$PWD:/repo" -w /repo prometheus run --store lake --repo . --push
#
# Tokens are passed as environment variables at run time, never built in.
FROM debian:12 AS build
WORKDIR /src
COPY . .
# Only the build's packages (PROMETHEUS_DEPS=build): Debian's libraries, and
# the pinned npm packages the build embeds (Chart.js, tree-sitter-python).
RUN PROMETHEUS_DEPS=build tools/install-deps.sh \
 && cmake -S . -B /build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPROMETHEUS_ARCH_FLAGS="" \
          -DPROMETHEUS_BUILD_TESTS=OFF -DPROMETHEUS_BUILD_BENCHMARKS=OFF \
 && cmake --build /build -j "$(nproc)" --target prometheus \
 && strip /build/prometheus

FROM debian:12-slim
RUN apt-get update -qq \
 && apt-get install -y -qq --no-install-recommends ca-certificates git libsimdjson14 libzstd1 \
      liblz4-1 libsnappy1v5 zlib1g liblzf1 libfmt9 libtomlplusplus3 libtree-sitter0 libcurl4 libgit2-1.5 \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /build/prometheus /usr/local/bin/prometheus
COPY rules /usr/share/prometheus/rules
ENTRYPOINT ["prometheus"]
CMD ["--help"]
