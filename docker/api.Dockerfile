# syntax=docker/dockerfile:1
# muckwatch API (and, with another command, the fleet simulator). Build from the repo root:
#   docker build -f docker/api.Dockerfile -t muckwatch-api .
# The API runs from TypeScript source through the SWC register, exactly like `npm run api`,
# so the runtime keeps the full node_modules (@swc-node/register is a devDependency).

# Node.js 20, the major package.json's engines declare and CI runs on (.ci/run checks all three).

# ---- dependencies -------------------------------------------------------------------------
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

# ---- web console build --------------------------------------------------------------------
FROM deps AS build
COPY . .
RUN npm run build:web

# ---- runtime ------------------------------------------------------------------------------
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    SWC_NODE_PROJECT=tsconfig.json \
    HOST=0.0.0.0 \
    PORT=3000 \
    WEB_DIST=apps/web/dist
WORKDIR /app
COPY --from=deps --chown=node:node /app/node_modules ./node_modules
COPY --chown=node:node package.json package-lock.json tsconfig.json tsconfig.base.json ./
COPY --chown=node:node apps/api ./apps/api
COPY --chown=node:node libs ./libs
COPY --chown=node:node simulators ./simulators
COPY --from=build --chown=node:node /app/apps/web/dist ./apps/web/dist
USER node
EXPOSE 3000 6808
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "--import", "@swc-node/register/esm-register", "apps/api/src/main.ts"]
