# phebus-mock serve in a container: see docs/serveur.md ("Image Docker").
# Every command here is one the test suite checks (test/server/dockerfile.test.ts).
# The dependencies are installed from the lock alone, before the sources are copied,
# so that a change of code reuses that layer; the sources are then built once.

FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# no scripts: the project's own (prepare: the build) needs the sources, copied below;
# then the one dependency whose install script the server needs (its native SQLite)
RUN npm ci --ignore-scripts --no-audit --no-fund && npm rebuild better-sqlite3
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY generators ./generators
COPY scenarios ./scenarios
COPY bench ./bench
COPY scripts ./scripts
RUN npm run build
# only what the server needs at run time (no package marked dev in the lock: checked by the tests)
RUN npm prune --omit=dev

FROM node:22-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    PHEBUS_DATA_DIR=/data
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/scenarios ./scenarios
COPY --from=build /app/generators/data ./generators/data
# the pages' templates and assets, read at run time from where the sources keep them
COPY --from=build /app/src/server/templates ./src/server/templates
COPY --from=build /app/src/server/assets ./src/server/assets
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
# healthy once ready (/readyz: the first deposits made), probed every second while starting,
# so that `docker compose up --wait` and Testcontainers go on as soon as the server is
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --start-interval=1s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/bin/phebus-mock.js", "serve"]
