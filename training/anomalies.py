"""
Order anomalies: an isolation forest (Liu et al. 2008; 200 trees, 256-order sub-samples, depth
limit ceil(log2 256)) over the order features of the orders purchased before the split
(data/knowledge/anomaly_train.csv, from `fusion-gateway features knowledge`). Exported as an ONNX
ai.onnx.ml TreeEnsembleRegressor averaging the path lengths E(h), then score = 2^(-E(h)/c(256))
("score" [-1, 1], in (0, 1]; above 0.5 stands out). The 99th and 99.9th percentile of the training
scores are the MEDIUM and HIGH thresholds (config.json).
With --drop NAME,... the named features are left out (the graph still reads the full row): used
for the rule-blind variant of the evaluation.

  /usr/bin/python3 training/anomalies.py --data data/knowledge --out models/order_anomaly/1 [--seed 42]
"""
import argparse
import math
import os

import numpy as np
import pandas as pd
from onnx import helper

from knowledge_onnx import features_input, float_output, io_contract, save_model, tensor

EULER = 0.5772156649


def c_factor(n):
    return 2 * (math.log(n - 1) + EULER) - 2 * (n - 1) / n if n > 2 else (1.0 if n == 2 else 0.0)


def grow(x, columns, rng, depth, limit, nodes):
    """Appends the subtree's nodes; returns its id. A node: [feature, threshold, left, right, leaf value]."""
    me = len(nodes)
    nodes.append(None)
    spans = [(j, x[:, j].min(), x[:, j].max()) for j in columns]
    spans = [s for s in spans if s[2] > s[1]]
    if depth >= limit or len(x) <= 1 or not spans:
        nodes[me] = (None, 0.0, -1, -1, depth + c_factor(len(x)))
        return me
    j, lo, hi = spans[rng.integers(len(spans))]
    t = rng.uniform(lo, hi)
    mask = x[:, j] < t
    left = grow(x[mask], columns, rng, depth + 1, limit, nodes)
    right = grow(x[~mask], columns, rng, depth + 1, limit, nodes)
    nodes[me] = (j, t, left, right, None)
    return me


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="data/knowledge")
    ap.add_argument("--out", default="models/order_anomaly/1")
    ap.add_argument("--trees", type=int, default=200)
    ap.add_argument("--sample", type=int, default=256)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--drop", default="")
    args = ap.parse_args()
    df = pd.read_csv(os.path.join(args.data, "anomaly_train.csv"))
    names = [c for c in df.columns if c != "order_id"]
    dropped = [d for d in args.drop.split(",") if d]
    columns = [j for j, n in enumerate(names) if n not in dropped]
    x = df[names].to_numpy(np.float64)
    rng = np.random.default_rng(args.seed)
    limit = math.ceil(math.log2(args.sample))
    attrs = {k: [] for k in ["nodes_treeids", "nodes_nodeids", "nodes_featureids", "nodes_values", "nodes_modes", "nodes_truenodeids", "nodes_falsenodeids", "target_treeids", "target_nodeids", "target_ids", "target_weights"]}
    forest = []
    for tree in range(args.trees):
        sample = x[rng.choice(len(x), size=min(args.sample, len(x)), replace=False)]
        nodes = []
        grow(sample, columns, rng, 0, limit, nodes)
        forest.append(nodes)
        for i, (j, t, left, right, leaf) in enumerate(nodes):
            attrs["nodes_treeids"].append(tree)
            attrs["nodes_nodeids"].append(i)
            attrs["nodes_featureids"].append(0 if j is None else j)
            attrs["nodes_values"].append(float(t))
            attrs["nodes_modes"].append("LEAF" if j is None else "BRANCH_LT")
            attrs["nodes_truenodeids"].append(0 if j is None else left)
            attrs["nodes_falsenodeids"].append(0 if j is None else right)
            if j is None:
                attrs["target_treeids"].append(tree)
                attrs["target_nodeids"].append(i)
                attrs["target_ids"].append(0)
                attrs["target_weights"].append(float(leaf))

    def path_length(row):
        total = 0.0
        for nodes in forest:
            i = 0
            while nodes[i][0] is not None:
                i = nodes[i][2] if row[nodes[i][0]] < nodes[i][1] else nodes[i][3]
            total += nodes[i][4]
        return total / len(forest)

    cn = c_factor(args.sample)
    probe = x[rng.choice(len(x), size=min(20000, len(x)), replace=False)]
    scores = np.array([2 ** (-path_length(r) / cn) for r in probe])
    width = len(names)
    graph = helper.make_graph(
        [
            helper.make_node("TreeEnsembleRegressor", ["features"], ["mean_path"], domain="ai.onnx.ml", n_targets=1, aggregate_function="AVERAGE", post_transform="NONE", **attrs),
            helper.make_node("Mul", ["mean_path", "minus_ln2_over_c"], ["exponent"]),
            helper.make_node("Exp", ["exponent"], ["score"]),
        ],
        "order_anomaly",
        [features_input(width)],
        [float_output("score")],
        [tensor("minus_ln2_over_c", [-math.log(2) / cn])],
    )
    q = lambda p: round(float(np.quantile(scores, p)), 5)
    config = {
        "name": "order_anomaly",
        **io_contract(width, "score"),
        "feature_names": names,
        "dropped_features": dropped,
        "feature_median": dict(zip(names, np.median(x, 0).round(6).tolist())),
        "thresholds": {"medium": q(0.99), "high": q(0.999)},
        "training_scores": {"p50": q(0.5), "p90": q(0.9), "p99": q(0.99), "p999": q(0.999)},
        "trees": args.trees,
        "sample": args.sample,
        "depth_limit": limit,
        "data_window": {"purchased_before": "2018-06-01", "orders": int(len(x))},
        "seed": args.seed,
        "metrics": {"train_orders": int(len(x))},
    }
    save_model(graph, args.out, config)
    print(f"isolation forest: {args.trees} trees over {len(columns)} features, thresholds {config['thresholds']}")
    # Rows with their scores computed here (not through ONNX), for the parity check.
    pd.DataFrame(np.c_[probe[:200], scores[:200]], columns=names + ["score"]).to_csv(os.path.join(args.data, f"anomaly_parity{'_blind' if dropped else ''}.csv"), index=False)


if __name__ == "__main__":
    main()
