"""
Customer segments: k-means over the behaviour features of the persons known at the training as-of
(data/knowledge/segments_train.csv, written by `fusion-gateway features knowledge`), standardised.
k is chosen by the mean silhouette on a held-out validation sample of persons (k = 2..8, seeded
k-means++ with 5 restarts, best inertia kept); the inertia (elbow) is reported beside it.
Writes models/segments/<version>/{model.onnx,config.json}: the ONNX graph standardises the raw
features and answers the nearest centroid's index as a float ("segment" [-1, 1]).

  /usr/bin/python3 training/segments.py --data data/knowledge --models models [--version 1] [--seed 42]
"""
import argparse
import os

import numpy as np
import pandas as pd
from onnx import TensorProto, helper

from knowledge_onnx import features_input, float_output, io_contract, save_model, tensor


def kmeans(x, k, rng, restarts=5, iters=100):
    best = None
    for _ in range(restarts):
        centres = [x[rng.integers(len(x))]]
        d2 = ((x - centres[0]) ** 2).sum(1)
        for _ in range(1, k):
            centres.append(x[rng.choice(len(x), p=d2 / d2.sum())])
            d2 = np.minimum(d2, ((x - centres[-1]) ** 2).sum(1))
        c = np.array(centres)
        for _ in range(iters):
            dist = ((x[:, None, :] - c[None]) ** 2).sum(2)
            labels = dist.argmin(1)
            new = np.array([x[labels == j].mean(0) if (labels == j).any() else c[j] for j in range(k)])
            if np.allclose(new, c, atol=1e-6):
                break
            c = new
        dist = ((x[:, None, :] - c[None]) ** 2).sum(2)
        inertia = float(dist.min(1).sum())
        if best is None or inertia < best[1]:
            best = (c, inertia)
    return best


def assign(x, c):
    return ((x[:, None, :] - c[None]) ** 2).sum(2).argmin(1)


def silhouette(x, labels):
    """Mean silhouette (euclidean), exact over the sample."""
    d = np.sqrt(((x[:, None, :] - x[None]) ** 2).sum(2))
    ks = np.unique(labels)
    if len(ks) < 2:
        return 0.0
    mean_to = np.stack([d[:, labels == j].sum(1) / np.maximum(1, (labels == j).sum() - (labels == j)) for j in ks], 1)
    own = np.searchsorted(ks, labels)
    a = mean_to[np.arange(len(x)), own]
    mean_to[np.arange(len(x)), own] = np.inf
    b = mean_to.min(1)
    s = np.where(np.maximum(a, b) > 0, (b - a) / np.maximum(a, b), 0)
    return float(s.mean())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="data/knowledge")
    ap.add_argument("--models", default="models")
    ap.add_argument("--version", default="1")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--validation", type=int, default=3000)
    args = ap.parse_args()
    df = pd.read_csv(os.path.join(args.data, "segments_train.csv"))
    names = [c for c in df.columns if c != "person_id"]
    raw = df[names].to_numpy(np.float64)
    rng = np.random.default_rng(args.seed)
    order = rng.permutation(len(raw))
    val_idx, fit_idx = order[: args.validation], order[args.validation :]
    mean = raw[fit_idx].mean(0)
    std = raw[fit_idx].std(0)
    std[std == 0] = 1
    z = (raw - mean) / std
    table = []
    for k in range(2, 9):
        c, inertia = kmeans(z[fit_idx], k, np.random.default_rng(args.seed + k))
        sil = silhouette(z[val_idx], assign(z[val_idx], c))
        table.append({"k": k, "validation_silhouette": round(sil, 4), "fit_inertia": round(inertia, 1), "centres": c})
        print(f"k={k} silhouette(validation)={sil:.4f} inertia={inertia:.0f}", flush=True)
    best = max(table, key=lambda r: r["validation_silhouette"])
    k, c = best["k"], best["centres"]
    labels = assign(z, c)
    # Segment ids by size, largest first (stable names across refits of the same data).
    sizes = np.bincount(labels, minlength=k)
    order_by_size = np.argsort(-sizes, kind="stable")
    c = c[order_by_size]
    labels = assign(z, c)
    centroids_raw = c * std + mean

    width = len(names)
    graph = helper.make_graph(
        [
            helper.make_node("Sub", ["features", "mean"], ["centred"]),
            helper.make_node("Div", ["centred", "std"], ["z"]),
            helper.make_node("MatMul", ["z", "centres_t"], ["zc"]),
            helper.make_node("Mul", ["z", "z"], ["zz"]),
            helper.make_node("ReduceSum", ["zz", "axis1"], ["z2"], keepdims=1),
            helper.make_node("Mul", ["zc", "minus_two"], ["m2zc"]),
            helper.make_node("Add", ["m2zc", "z2"], ["partial"]),
            helper.make_node("Add", ["partial", "c2"], ["distance2"]),
            helper.make_node("ArgMin", ["distance2"], ["nearest"], axis=1, keepdims=1),
            helper.make_node("Cast", ["nearest"], ["segment"], to=TensorProto.FLOAT),
        ],
        "segments",
        [features_input(width)],
        [float_output("segment")],
        [
            tensor("mean", mean),
            tensor("std", std),
            tensor("centres_t", c.T),
            tensor("c2", (c**2).sum(1)[None, :]),
            tensor("minus_two", [-2.0]),
            helper.make_tensor("axis1", TensorProto.INT64, [1], [1]),
        ],
    )
    config = {
        "name": "segments",
        **io_contract(width, "segment"),
        "feature_names": names,
        "feature_mean": mean.round(6).tolist(),
        "feature_std": std.round(6).tolist(),
        "k": k,
        "centroids": [dict(zip(names, row.round(6).tolist())) for row in centroids_raw],
        "centroids_z": [dict(zip(names, row.round(4).tolist())) for row in c],
        "train_sizes": np.bincount(labels, minlength=k).tolist(),
        "k_selection": {
            "criterion": "max mean silhouette on a held-out validation sample",
            "validation_persons": int(len(val_idx)),
            "fit_persons": int(len(fit_idx)),
            "table": [{key: r[key] for key in ("k", "validation_silhouette", "fit_inertia")} for r in table],
        },
        "data_window": {"train_as_of": "2018-03-01", "persons": int(len(raw))},
        "seed": args.seed,
        "metrics": {"validation_silhouette": best["validation_silhouette"], "k": k},
    }
    save_model(graph, os.path.join(args.models, "segments", args.version), config)
    print(f"chose k={k}; sizes {config['train_sizes']}")


if __name__ == "__main__":
    main()
