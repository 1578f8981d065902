# Two images from one build. The default (last stage, `cpu`) builds the gateway, seeds the embedded stores
# from a mounted Olist dataset on first start, and serves the whole graph:
#   docker build -t fusion-gateway .
#   docker run -p 4000:4000 -v /path/to/olist:/data/olist:ro -v fusion-data:/var/lib/fusion fusion-gateway
# The containers run as the unprivileged `node` user; the stores (and the generated dev secrets) live in the
# /var/lib/fusion volume. .dockerignore keeps node_modules, data/ and secrets out of the build context.
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
# npm 11 honours package.json's allowScripts (onnxruntime-node's CUDA download denied); the image's npm 10 needs
# the variable. The gpu target installs the CUDA provider explicitly below.
ENV ONNXRUNTIME_NODE_INSTALL=skip
COPY package.json package-lock.json ./
COPY prisma ./prisma
COPY scripts ./scripts
RUN npm install --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY bench ./bench
COPY models ./models
COPY config ./config
COPY partner-operations ./partner-operations
RUN npm run build && npm prune --omit=dev

# GPU image: the same build plus onnxruntime-node's CUDA provider, on NVIDIA's CUDA 12 + cuDNN runtime.
# Meant for the scoring subgraph on GPU nodes (see docs/gpu.md):
#   docker build --target gpu -t fusion-gateway:gpu .
#   docker run --gpus all -p 4005:4005 -v fusion-data:/var/lib/fusion fusion-gateway:gpu \
#     node dist/src/cli/index.js serve --subgraph scoring --port 4005
FROM build AS gpu-providers
# The build stage skipped onnxruntime-node's download of its CUDA provider; fetch it here (needs network at build time).
RUN ONNXRUNTIME_NODE_INSTALL=cuda12 node node_modules/onnxruntime-node/script/install.js \
 && ls node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime_providers_cuda.so

FROM nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04 AS gpu
COPY --from=build /usr/local/bin/node /usr/local/bin/node
WORKDIR /app
ENV NODE_ENV=production OLIST_DATASET_DIR=/data/olist FUSION_DATA_DIR=/var/lib/fusion PORT=4005 \
    FUSION_EXECUTION_PROVIDERS=cuda,cpu FUSION_SCORING_MAX_BATCH=262144
COPY --from=gpu-providers /app/package.json ./
COPY --from=gpu-providers /app/node_modules ./node_modules
COPY --from=gpu-providers /app/dist ./dist
COPY --from=gpu-providers /app/prisma ./prisma
COPY --from=gpu-providers /app/models ./models
COPY --from=gpu-providers /app/config ./config
COPY scripts/gpu-check.js ./scripts/gpu-check.js
RUN mkdir -p /var/lib/fusion && chown ubuntu:ubuntu /var/lib/fusion
USER ubuntu
VOLUME /var/lib/fusion
EXPOSE 4005
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/src/cli/index.js", "serve", "--subgraph", "scoring"]

# CPU image (the default target): the whole graph in one process.
FROM node:20-bookworm-slim AS cpu
WORKDIR /app
ENV NODE_ENV=production OLIST_DATASET_DIR=/data/olist FUSION_DATA_DIR=/var/lib/fusion PORT=4000
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/prisma ./prisma
COPY --from=build /app/models ./models
COPY --from=build /app/config ./config
COPY --from=build /app/partner-operations ./partner-operations
# The /quality page's files (and the explorer's, which production mode does not serve) are read from the source tree.
COPY --from=build /app/src/gateway/web/public ./src/gateway/web/public
RUN mkdir -p /var/lib/fusion && chown node:node /var/lib/fusion
USER node
VOLUME /var/lib/fusion
EXPOSE 4000
# Ready, not merely alive: the first start seeds the stores from the mounted dataset (start period).
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/src/cli/index.js", "serve"]
