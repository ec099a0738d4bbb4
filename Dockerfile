# syntax=docker/dockerfile:1
# autotask-mcp as a distroless container: one standalone binary, HTTP gateway mode by default.
#
#   docker build -t autotask-mcp .
#   docker run -p 8080:8080 -e AUTH_MODE=gateway -e MCP_TRANSPORT=http -e LOG_LEVEL=info autotask-mcp
#
# Multi-arch (the release workflow): the build stage runs on the builder's own platform and
# cross-compiles for the image's (bun fetches the target's runtime from the npm registry), so no
# emulation is needed:
#
#   docker buildx build --platform linux/amd64,linux/arm64 --build-arg COMMIT=$(git rev-parse HEAD) .
#
# Stage 1 compiles src/ with scripts/build.ts, as `npm run compile` does; stage 2 is distroless
# (glibc, no shell, no package manager) and runs as the non-root user.

ARG BUN_VERSION=1.4.5

FROM --platform=$BUILDPLATFORM oven/bun:${BUN_VERSION} AS build
ARG TARGETARCH
# The commit and build date `--version` reports (.git is not in the build context).
ARG COMMIT=unknown
ARG SOURCE_DATE_EPOCH
WORKDIR /src
COPY package.json package-lock.json ./
RUN bun install --frozen-lockfile --ignore-scripts
COPY tsconfig.json bunfig.toml ./
COPY scripts ./scripts
COPY src ./src
RUN case "$TARGETARCH" in \
      amd64) target=linux-x64 ;; \
      arm64) target=linux-arm64 ;; \
      *) echo "no autotask-mcp build for $TARGETARCH" >&2; exit 1 ;; \
    esac \
 && AUTOTASK_MCP_COMMIT="$COMMIT" bun scripts/build.ts compile --target "$target" --outdir /out \
 && mv "/out/autotask-mcp-$target" /out/autotask-mcp

FROM gcr.io/distroless/cc-debian12:nonroot
ARG VERSION=3.0.0
LABEL org.opencontainers.image.title="autotask-mcp" \
      org.opencontainers.image.description="MCP server for Kaseya Autotask PSA (HTTP gateway mode: credentials per request)" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.source="https://github.com/autotask-mcp/autotask-mcp" \
      org.opencontainers.image.url="https://github.com/autotask-mcp/autotask-mcp#readme" \
      org.opencontainers.image.licenses="MIT" \
      io.modelcontextprotocol.server.name="io.github.autotask-mcp/autotask-mcp"
COPY --from=build /out/autotask-mcp /usr/local/bin/autotask-mcp
# A container serves many tenants: credentials arrive per request (gateway), nothing is baked in.
ENV MCP_TRANSPORT=http \
    AUTH_MODE=gateway \
    MCP_HTTP_HOST=0.0.0.0 \
    MCP_HTTP_PORT=8080 \
    LOG_FORMAT=json
EXPOSE 8080
USER nonroot
# Distroless has no curl: the binary checks its own /health.
HEALTHCHECK --interval=30s --timeout=5s --start-period=5s --retries=3 CMD ["/usr/local/bin/autotask-mcp", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/autotask-mcp"]
