# phebus-mock serve in a container: see docs/serveur.md ("Image Docker").
# Every command here is one the test suite also runs (test/server/dockerfile.test.ts):
# npm ci as in .ci/run, npm run build, and the start command phebus-mock serve.

FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY generators ./generators
COPY scenarios ./scenarios
COPY bench ./bench
RUN npm ci --no-audit --no-fund
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
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/livez').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/src/cli.js", "serve"]
