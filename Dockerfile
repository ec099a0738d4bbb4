# autotask-mcp as a distroless container: one standalone binary, HTTP gateway mode by default.
#
#   docker build -t autotask-mcp .
#   docker run -p 8080:8080 -e AUTH_MODE=gateway -e MCP_TRANSPORT=http -e LOG_LEVEL=info autotask-mcp
#
# Stage 1 compiles src/ with Bun (installed from the lockfile, as CI does) into a single executable
# for the build platform; stage 2 is distroless (glibc, no shell, no package manager), non-root.

FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json bunfig.toml ./
COPY src ./src
RUN node_modules/.bin/bun build src/cli.ts --compile --minify --outfile /out/autotask-mcp \
 && /out/autotask-mcp --version

FROM gcr.io/distroless/cc-debian12:nonroot
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
