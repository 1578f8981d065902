# CPU image: builds the gateway, seeds the embedded stores from a mounted Olist dataset on first start, serves.
#   docker build -t fusion-gateway .
#   docker run -p 4000:4000 -v /path/to/olist:/data/olist:ro -v fusion-data:/var/lib/fusion fusion-gateway
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json .npmrc ./
COPY prisma ./prisma
COPY scripts ./scripts
RUN npm install --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY bench ./bench
COPY models ./models
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim AS cpu
WORKDIR /app
ENV NODE_ENV=production OLIST_DATASET_DIR=/data/olist FUSION_DATA_DIR=/var/lib/fusion PORT=4000
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/prisma ./prisma
COPY --from=build /app/models ./models
EXPOSE 4000
HEALTHCHECK CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/src/cli/index.js", "serve"]
