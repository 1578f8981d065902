#!/usr/bin/python3
"""Fusion models: trains the late-delivery risk model and the recommendation ranker on the
exported training set (npm run features:export), evaluates them against the baselines on the
validation window (choices) and, refit on train + validation, the test window; exports ONNX + config.json (Triton layout), product embeddings, metrics, and the
cross-language parity fixtures.

  /usr/bin/python3 training/train.py --data data/training --models models [--fixtures test/fixtures/onnx-parity] [--smoke]
      [--tasks delivery_risk,recommendation]
"""
import argparse
import json
import os
import random
import sys
import time
from datetime import datetime, timezone

import numpy as np
import pandas as pd
import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from baselines import AsOfBaselines, K  # noqa: E402
from metrics import ranking_metrics  # noqa: E402
import delivery  # noqa: E402
import trees_onnx  # noqa: E402
from knowledge_onnx import save_onnx  # noqa: E402
from models import FusionMLP  # noqa: E402

T0 = time.time()


def log(msg):
    print(f"[{time.time() - T0:6.1f}s] {msg}", flush=True)


def set_seed(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.set_num_threads(2)


def fit(model, X, y, Xval, yval, epochs, lr, batch, weight_decay, score_val, seed, pos_weight=1.0):
    g = torch.Generator().manual_seed(seed)
    opt = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=weight_decay)
    loss_fn = nn.BCEWithLogitsLoss(pos_weight=torch.tensor(pos_weight))
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y.astype(np.float32))
    best, best_state, best_epoch = -1.0, None, 0
    for epoch in range(epochs):
        model.train()
        perm = torch.randperm(len(Xt), generator=g)
        total = 0.0
        for i in range(0, len(Xt), batch):
            idx = perm[i : i + batch]
            opt.zero_grad()
            loss = loss_fn(model.logits(Xt[idx]), yt[idx])
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            val = score_val(model)
        log(f"  epoch {epoch + 1}/{epochs} loss {total / len(Xt):.4f} val {val:.4f}")
        if val > best:
            best, best_epoch = val, epoch + 1
            best_state = {k: v.clone() for k, v in model.state_dict().items()}
    model.load_state_dict(best_state)
    model.eval()
    return best, best_epoch


def fit_fixed(model, X, y, epochs, lr, batch, weight_decay, seed, score_val=None):
    """Fixed number of epochs (chosen on validation beforehand), so the same recipe can be refit on
    train + validation. score_val only logs."""
    g = torch.Generator().manual_seed(seed)
    opt = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=weight_decay)
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y.astype(np.float32))
    for epoch in range(epochs):
        model.train()
        perm = torch.randperm(len(Xt), generator=g)
        total = 0.0
        for i in range(0, len(Xt), batch):
            idx = perm[i : i + batch]
            opt.zero_grad()
            loss = nn.functional.binary_cross_entropy_with_logits(model.logits(Xt[idx]), yt[idx])
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        model.eval()
        extra = ""
        if score_val is not None:
            with torch.no_grad():
                extra = f" val {score_val(model):.4f}"
        log(f"  epoch {epoch + 1}/{epochs} loss {total / len(Xt):.4f}{extra}")
    model.eval()
    return model


def predict(model, X):
    with torch.no_grad():
        return model(torch.from_numpy(X)).numpy()[:, 0]


def export_onnx(model, width, path):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    dummy = torch.zeros(2, width, dtype=torch.float32)
    torch.onnx.export(
        model, dummy, path, input_names=["features"], output_names=["probability"],
        dynamic_axes={"features": {0: "batch"}, "probability": {0: "batch"}}, opset_version=13,
    )


def export_delivery(model, calibration, width, path):
    """A linear model through torch.onnx (Platt already folded in); trees or a blend as one graph with an
    ai.onnx.ml tree ensemble (training/trees_onnx.py)."""
    if isinstance(model, delivery.LinearRisk):
        export_onnx(model, width, path)
    else:
        members = model.members if isinstance(model, delivery.Blend) else [model]
        save_onnx(trees_onnx.risk_graph(members, width, calibration), path)


def config_json(name, task_manifest, metrics, data_window, seed, extra=None):
    cfg = {
        "name": name,
        "platform": "onnxruntime_onnx",
        "max_batch_size": 0,
        "input": [{"name": "features", "data_type": "TYPE_FP32", "dims": [-1, len(task_manifest["features"])]}],
        "output": [{"name": "probability", "data_type": "TYPE_FP32", "dims": [-1, 1]}],
        "feature_manifest_hash": task_manifest["hash"],
        "feature_names": [f["name"] for f in task_manifest["features"]],
        "metrics": metrics,
        "data_window": data_window,
        "seed": seed,
        "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    if extra:
        cfg.update(extra)
    return cfg


def write_json(path, obj):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(obj, f, indent=2)
        f.write("\n")


def fixture(model, X, path, name, task_manifest, seed, probability=None):
    """32 seeded rows and the training-side outputs (probability(rows), default the PyTorch model's)."""
    rng = np.random.RandomState(seed)
    rows = X[np.sort(rng.choice(len(X), size=min(32, len(X)), replace=False))]
    out = np.asarray(probability(rows) if probability else predict(model, rows), dtype=np.float64)
    write_json(path, {
        "model": name, "feature_manifest_hash": task_manifest["hash"], "input": "features", "output": "probability",
        "shape": list(rows.shape), "features": rows.astype(np.float32).ravel().tolist(), "expected": out.astype(np.float32).tolist(),
    })


# ---------------------------------------------------------------- delivery risk
# Recipe chosen by the rolling-origin backtest (training/delivery.py): per fold the recipe with the best
# earlier folds; the served model is the recipe best over every fold, refit on every label known at
# delivery.SERVE_ASOF and Platt-calibrated on the most recent fold.
def train_delivery(args, manifest):
    tm = manifest["tasks"]["delivery_risk"]
    names = [f["name"] for f in tm["features"]]
    df = delivery.load(args.data)
    folds, recipe, calibration = delivery.backtest(df, tm["features"], log, smoke=args.smoke)
    model, fit_rows = delivery.serve_model(df, tm["features"], recipe, calibration, smoke=args.smoke)
    last = folds[delivery.FOLDS[-1]]
    for asof, f in folds.items():
        log(f"  delivery fold {asof}: model ROC {f['model']['roc_auc']:.4f} PR {f['model']['pr_auc']:.4f} Brier {f['model']['brier']:.4f} ({f['model']['recipe']})")
    out = os.path.join(args.models, "delivery_risk", "1")
    export_delivery(model, calibration, len(names), os.path.join(out, "model.onnx"))
    metrics = {
        "test": {k: last["model"][k] for k in ("roc_auc", "pr_auc", "brier")},
        "test_base_rate": last["model"]["late_rate"], "test_orders": last["model"]["orders"],
        "test_window": f"fold as-of {delivery.FOLDS[-1]} (purchases in the month after)",
        "backtest": delivery.summary(folds),
        "recipe": recipe, "platt_calibration": list(calibration),
        "fit_on": f"labels known before {delivery.SERVE_ASOF} ({len(fit_rows)} orders, purchased from {delivery.TRAIN_FROM})",
        "baselines_test": {k: {m: v[m] for m in ("roc_auc", "pr_auc", "brier")} for k, v in last["baselines"].items()},
    }
    window = {"train_from": delivery.TRAIN_FROM, "folds": delivery.FOLDS, "serve_asof": delivery.SERVE_ASOF}
    write_json(os.path.join(out, "config.json"), config_json("delivery_risk", tm, metrics, window, args.seed))
    X_test = delivery.fold_rows(df, delivery.FOLDS[-1])[1][names].to_numpy(np.float32)
    fixture(model, X_test, os.path.join(args.fixtures, "delivery_risk.json"), "delivery_risk", tm, args.seed,
            probability=lambda rows: delivery.served_probability(model, rows, names, calibration))
    return folds, metrics


# ---------------------------------------------------------------- recommendation
def rank_users(model_scores, rows, users, fallback):
    """users: DataFrame of (person_id, ...); rows with 'score'. Returns ranked lists (top K, padded by fallback)."""
    ranked = {}
    for person, g in rows.assign(score=model_scores).groupby("person_id", sort=False):
        ranked[person] = list(g.sort_values("score", ascending=False, kind="mergesort")["product_id"][:K])
    out = []
    for person in users["person_id"]:
        lst = ranked.get(person, [])
        out.append(lst + [p for p in fallback if p not in lst][: K - len(lst)])
    return out


def evaluate_window(split, model, rows, X, users, interactions, seed):
    asof = users["asof"].iloc[0]
    bl = AsOfBaselines(interactions, asof, seed=seed)
    targets = [set(t.split(" ")) for t in users["targets"]]
    groups = {"returning": users["is_returning"].to_numpy() == 1, "new": users["is_returning"].to_numpy() == 0}
    table = {}
    states = users["state"].tolist()
    persons = users["person_id"].tolist()
    for name in AsOfBaselines.NAMES:
        t = time.time()
        recs = [getattr(bl, name)(p, s) for p, s in zip(persons, states)]
        table[name] = {g: ranking_metrics([r for r, m in zip(recs, mask) if m], [x for x, m in zip(targets, mask) if m]) for g, mask in groups.items()}
        log(f"  {split} {name:20s} returning HR@10 {table[name]['returning']['hit_rate@10']:.4f}  new HR@10 {table[name]['new']['hit_rate@10']:.4f}  ({time.time() - t:.1f}s)")
    recs = rank_users(predict(model, X), rows, users, bl.recent_top)
    table["fusion"] = {g: ranking_metrics([r for r, m in zip(recs, mask) if m], [x for x, m in zip(targets, mask) if m]) for g, mask in groups.items()}
    log(f"  {split} {'fusion':20s} returning HR@10 {table['fusion']['returning']['hit_rate@10']:.4f}  new HR@10 {table['fusion']['new']['hit_rate@10']:.4f}")
    return table, bl


def product_embeddings(interactions, products_dir, seed, dim=32):
    """Item factors of persons x products (all purchases) plus category pseudo-users: similar products."""
    from scipy.sparse import csr_matrix, vstack
    from scipy.sparse.linalg import svds
    pairs = interactions[["person_id", "product_id"]].drop_duplicates()
    ids = sorted(interactions["product_id"].unique())
    pidx = {p: i for i, p in enumerate(ids)}
    persons = {u: i for i, u in enumerate(sorted(pairs["person_id"].unique()))}
    X = csr_matrix((np.ones(len(pairs), np.float64), (pairs["person_id"].map(persons), pairs["product_id"].map(pidx))), shape=(len(persons), len(ids)))
    cats = interactions[["product_id", "category"]].drop_duplicates("product_id").fillna("")
    cidx = {c: i for i, c in enumerate(sorted(cats["category"].unique()))}
    C = csr_matrix((np.full(len(cats), 0.5), (cats["category"].map(cidx), cats["product_id"].map(pidx))), shape=(len(cidx), len(ids)))
    M = vstack([X, C]).tocsr()
    M = M.multiply(1.0 / np.sqrt(np.maximum(np.asarray(M.sum(axis=0)).ravel(), 1.0))).tocsr()
    u, s, vt = svds(M, k=dim, v0=np.random.RandomState(seed).rand(min(M.shape)))
    V = (vt.T * np.sqrt(s)).astype(np.float32)
    V /= np.maximum(np.linalg.norm(V, axis=1, keepdims=True), 1e-8)
    os.makedirs(products_dir, exist_ok=True)
    V.astype("<f4").tofile(os.path.join(products_dir, "product_embeddings.f32"))
    write_json(os.path.join(products_dir, "product_embeddings.json"), {"dim": dim, "ids": ids})
    return len(ids), dim


# Chosen on the validation window only (see models/README.md): listwise softmax loss over each
# (person, as-of) candidate list, returning users' lists weighted x5, Adam lr 3e-4, 6 epochs.
REC_RECIPE = {"loss": "listwise softmax cross-entropy per (person, as-of) candidate list", "returning_weight": 5.0, "lr": 3e-4,
              "epochs": 6, "lists_per_batch": 64}


def fit_listwise(model, part, names, epochs, lr, returning_weight, seed, score_val=None, weight_decay=1e-5):
    """Listwise ranking loss: softmax over each (person, as-of) candidate list, cross-entropy against
    its positives (lists without a positive carry no gradient)."""
    key = part["person_id"].astype(str) + "|" + part["asof"].astype(str)
    codes, uniq = pd.factorize(key)
    n_lists, width = len(uniq), int(np.bincount(codes).max())
    slot = part.groupby(codes).cumcount().to_numpy()
    X = np.zeros((n_lists, width, len(names)), np.float32)
    Y = np.zeros((n_lists, width), np.float32)
    M = np.zeros((n_lists, width), bool)
    X[codes, slot] = part[names].to_numpy(np.float32)
    Y[codes, slot] = part["label"].to_numpy(np.float32)
    M[codes, slot] = True
    W = np.where(part.groupby(codes)["is_returning"].first().to_numpy() == 1, returning_weight, 1.0).astype(np.float32)
    X, Y, M, W = torch.from_numpy(X), torch.from_numpy(Y), torch.from_numpy(M), torch.from_numpy(W)
    keep = Y.sum(1) > 0
    X, Y, M, W = X[keep], Y[keep], M[keep], W[keep]
    g = torch.Generator().manual_seed(seed)
    opt = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=weight_decay)
    for epoch in range(epochs):
        model.train()
        perm = torch.randperm(len(Y), generator=g)
        total = 0.0
        for i in range(0, len(Y), REC_RECIPE["lists_per_batch"]):
            idx = perm[i : i + REC_RECIPE["lists_per_batch"]]
            xb, yb, mb, wb = X[idx], Y[idx], M[idx], W[idx]
            s = model.logits(xb.reshape(-1, xb.shape[-1])).reshape(yb.shape).masked_fill(~mb, -1e9)
            lp = torch.log_softmax(s, dim=1)
            loss = -(((lp * yb).sum(1) / yb.sum(1)) * wb).sum() / wb.sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        model.eval()
        extra = ""
        if score_val is not None:
            with torch.no_grad():
                extra = f" val NDCG@10 {score_val(model):.4f}"
        log(f"  epoch {epoch + 1}/{epochs} listwise loss {total / max(len(Y), 1):.4f} ({len(Y)} lists){extra}")
    model.eval()
    return model


def train_recommendation(args, manifest):
    tm = manifest["tasks"]["recommendation"]
    names = [f["name"] for f in tm["features"]]
    df = pd.read_csv(os.path.join(args.data, "recommendation.csv"), dtype={"person_id": str, "product_id": str, "asof": str})
    users = pd.read_csv(os.path.join(args.data, "rec_users.csv"), dtype=str)
    users["is_returning"] = users["is_returning"].astype(int)
    interactions = pd.read_csv(os.path.join(args.data, "interactions.csv"), dtype=str).fillna({"category": ""})
    parts = {s: df[df["split"] == s].reset_index(drop=True) for s in ("train", "val", "test")}
    X = {s: p[names].to_numpy(np.float32) for s, p in parts.items()}
    y = {s: p["label"].to_numpy(np.int64) for s, p in parts.items()}
    for s in parts:
        log(f"recommendation {s}: {len(y[s])} rows, {parts[s]['person_id'].nunique()} users, positives {int(y[s].sum())}")
    val_users = users[users["split"] == "val"].reset_index(drop=True)
    val_targets = [set(t.split(" ")) for t in val_users["targets"]]
    val_fallback = AsOfBaselines(interactions, val_users["asof"].iloc[0], seed=args.seed).recent_top

    def val_score(m):
        recs = rank_users(predict(m, X["val"]), parts["val"], val_users, val_fallback)
        return ranking_metrics(recs, val_targets)["ndcg@10"]

    def train_ranker(part, score_val=None):
        set_seed(args.seed)
        m = FusionMLP(tm["features"], hidden=(64, 32), emb_dim=4, dropout=0.1)
        fit_listwise(m, part, names, epochs=1 if args.smoke else REC_RECIPE["epochs"], lr=REC_RECIPE["lr"],
                     returning_weight=REC_RECIPE["returning_weight"], seed=args.seed, score_val=score_val)
        return m

    # validation table: ranker fitted on the training as-of snapshots only
    model = train_ranker(parts["train"], score_val=val_score)
    tables = {}
    u = users[users["split"] == "val"].reset_index(drop=True)
    tables["val"], _ = evaluate_window("val", model, parts["val"], X["val"], u, interactions, args.seed)
    # test table (evaluated once): same recipe refit on the training snapshots + the validation snapshot
    model = train_ranker(pd.concat([parts["train"], parts["val"]], ignore_index=True))
    u = users[users["split"] == "test"].reset_index(drop=True)
    tables["test"], _ = evaluate_window("test", model, parts["test"], X["test"], u, interactions, args.seed)
    out = os.path.join(args.models, "recommendation", "1")
    export_onnx(model, len(names), os.path.join(out, "model.onnx"))
    n_items, dim = product_embeddings(interactions, out, args.seed)
    log(f"product embeddings: {n_items} products x {dim}")
    metrics = {"test": tables["test"], "val": tables["val"], "recipe": REC_RECIPE,
               "fit_on": "test model: training snapshots + validation snapshot (as-of 2018-04-01); val table: training snapshots only"}
    sp = manifest["splits"]["recommendation"]
    extra = {
        "candidate_generation": "FeatureStore.candidatesFor(personId, limit): 100 for returning users, 50 for new users",
        "product_embeddings": {
            "files": ["product_embeddings.json", "product_embeddings.f32"],
            "format": "json: {dim, ids}; f32: little-endian float32, row-major [len(ids) x dim], L2-normalised",
            "method": "truncated SVD of persons x products purchases plus category pseudo-rows (all purchases in the data)",
            "dim": dim, "count": n_items,
        },
    }
    write_json(os.path.join(out, "config.json"), config_json("recommendation", tm, metrics, sp, args.seed, extra))
    fixture(model, X["test"], os.path.join(args.fixtures, "recommendation.json"), "recommendation", tm, args.seed)
    return tables


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="data/training")
    ap.add_argument("--models", default="models")
    ap.add_argument("--fixtures", default=None)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--tasks", default="delivery_risk,recommendation", help="comma-separated: delivery_risk, recommendation")
    ap.add_argument("--smoke", action="store_true", default=os.environ.get("SMOKE") == "1")
    args = ap.parse_args()
    if args.fixtures is None:
        args.fixtures = os.path.join(args.models, "fixtures") if args.smoke else "test/fixtures/onnx-parity"
    with open(os.path.join(args.data, "manifest.json")) as f:
        manifest = json.load(f)
    log(f"torch {torch.__version__}, seed {args.seed}, smoke {args.smoke}, data {args.data}, models {args.models}")
    tasks = args.tasks.split(",")
    d_folds, d_metrics = train_delivery(args, manifest) if "delivery_risk" in tasks else (None, None)
    r_tables = train_recommendation(args, manifest) if "recommendation" in tasks else None
    previous = {}
    if os.path.exists(os.path.join(args.models, "metrics.json")):
        with open(os.path.join(args.models, "metrics.json")) as f:
            previous = json.load(f)
    summary = {
        "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "seed": args.seed, "smoke": args.smoke,
        "training_seconds": round(time.time() - T0, 1), "splits": manifest["splits"],
        "delivery_risk": {"folds": d_folds, **d_metrics} if d_folds else previous.get("delivery_risk"),
        "recommendation": r_tables if r_tables else previous.get("recommendation"),
    }
    if "backtest" in previous:
        summary["backtest"] = previous["backtest"]
    write_json(os.path.join(args.models, "metrics.json"), summary)
    log(f"done in {time.time() - T0:.1f}s; models in {args.models}")


if __name__ == "__main__":
    main()
