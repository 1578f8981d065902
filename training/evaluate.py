#!/usr/bin/python3
"""Rolling-origin backtest (npm run evaluate): monthly folds as-of delivery.FOLDS, features strictly
before each prediction time, labels in the month after the as-of; every baseline beside the model per
fold, mean and spread over the folds. Writes `backtest` into models/metrics.json and regenerates the
table between the backtest markers of models/README.md.

  /usr/bin/python3 training/evaluate.py --data data/training --models models [--smoke]
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import delivery  # noqa: E402
from baselines import AsOfBaselines  # noqa: E402
from metrics import ranking_metrics  # noqa: E402

T0 = time.time()
BEGIN, END = "<!-- backtest:begin (npm run evaluate) -->", "<!-- backtest:end -->"


def log(msg):
    print(f"[{time.time() - T0:6.1f}s] {msg}", flush=True)


def recommendation_folds(interactions, new_users, seed, smoke):
    """Baselines per fold: users with a purchase in [as-of, +1 month); all returning users (a purchase
    before the as-of) and `new_users` sampled first-time users."""
    out = {}
    rng = np.random.RandomState(seed)
    for asof in delivery.FOLDS:
        to = delivery.add_months(asof, 1)
        window = interactions[(interactions["purchase"] >= asof) & (interactions["purchase"] < to)]
        targets = window.groupby("person_id")["product_id"].apply(set)
        state = window.drop_duplicates("person_id").set_index("person_id")["state"]
        known = set(interactions.loc[interactions["purchase"] < asof, "person_id"])
        persons = sorted(targets.index)
        returning = [p for p in persons if p in known]
        fresh = [p for p in persons if p not in known]
        fresh = list(rng.choice(fresh, size=min(new_users, len(fresh)), replace=False))
        bl = AsOfBaselines(interactions, asof, seed=seed)
        fold = {"returning_users": len(returning), "new_users": len(fresh), "baselines": {}}
        for name in AsOfBaselines.NAMES:
            fold["baselines"][name] = {}
            for group, users in (("returning", returning), ("new", fresh)):
                recs = [getattr(bl, name)(p, state[p]) for p in users]
                fold["baselines"][name][group] = ranking_metrics(recs, [targets[p] for p in users])
        out[asof] = fold
        log(f"recommendation fold {asof}: {len(returning)} returning, {len(fresh)} new users; "
            + ", ".join(f"{n} {fold['baselines'][n]['returning']['hit_rate@10']:.3f}" for n in AsOfBaselines.NAMES))
    return out


def candidate_recall(data_dir):
    """Per fold and list size: mean over the returning users of |targets ∩ candidates| / |targets| (recall)
    and the share with any target among the candidates (hit), from the serving candidate generation
    (rec_candidates.csv, written by the export). None when the export predates that file."""
    path = os.path.join(data_dir, "rec_candidates.csv")
    if not os.path.exists(path):
        return None
    rows = pd.read_csv(path, dtype=str).fillna("")
    out = {}
    for (asof, limit), g in rows.groupby(["asof", "limit"]):
        recall, hit = [], []
        for cands, targets in zip(g["candidates"], g["targets"]):
            found = len(set(targets.split()) & set(cands.split()))
            recall.append(found / len(set(targets.split())))
            hit.append(found > 0)
        out.setdefault(asof, {"returning_users": int(len(g))})[f"recall@{limit}"] = float(np.mean(recall))
        out[asof][f"hit@{limit}"] = float(np.mean(hit))
    return out


def candidate_table(folds):
    limits = sorted({int(k.split("@")[1]) for f in folds.values() for k in f if k.startswith("recall@")})
    lines = ["| candidate generation (serving), returning users | " + " | ".join(folds) + " | mean |", "|---" * (len(folds) + 2) + "|"]
    for metric in [f"{m}@{k}" for k in limits for m in ("recall", "hit")]:
        vals = [f[metric] for f in folds.values()]
        lines.append(f"| {metric} | " + " | ".join(f"{v:.3f}" for v in vals) + f" | {np.mean(vals):.3f} |")
    lines.append("| returning users | " + " | ".join(str(f["returning_users"]) for f in folds.values()) + " | |")
    return lines


def mean_std(values):
    return {"mean": float(np.mean(values)), "std": float(np.std(values)), "min": float(np.min(values))}


def fmt(v, digits=3):
    return "–" if v is None else f"{v:.{digits}f}"


def delivery_table(folds):
    names = ["model"] + list(next(iter(folds.values()))["baselines"])
    head = "| delivery risk | " + " | ".join(f"{a} ROC / PR" for a in folds) + " | mean ± sd ROC | mean ± sd PR |"
    lines = [head, "|---" * (len(folds) + 3) + "|"]
    for name in names:
        rows = [f["model"] if name == "model" else f["baselines"][name] for f in folds.values()]
        label = "**model** (recipe per fold chosen on the earlier folds: logistic or boosted trees, in metrics.json)" if name == "model" else name
        roc, pr = [r["roc_auc"] for r in rows], [r["pr_auc"] for r in rows]
        cells = [f"{fmt(r['roc_auc'])} / {fmt(r['pr_auc'])}" for r in rows]
        lines.append(f"| {label} | " + " | ".join(cells)
                     + f" | {np.mean(roc):.3f} ± {np.std(roc):.3f} | {np.mean(pr):.3f} ± {np.std(pr):.3f} |")
    orders = " | ".join(f"{f['model']['orders']} ({100 * f['model']['late_rate']:.1f} % late)" for f in folds.values())
    lines.append(f"| test orders | {orders} | | |")
    briers = " | ".join(f"{fmt(f['model']['brier'], 4)} (uncal. {fmt(f['model']['brier_uncalibrated'], 4)}; rate {fmt(f['baselines']['global rate (train late share)']['brier'], 4)})"
                        for f in folds.values())
    lines.append(f"| model Brier, calibrated on the previous fold (uncalibrated; train late share) | {briers} | | |")
    return lines


def reliability_table(fold_asof, rows):
    lines = [f"Reliability of the model on the fold as-of {fold_asof} (deciles of the calibrated probability):", "",
             "| decile | orders | mean predicted | observed late share |", "|---|---|---|---|"]
    for i, r in enumerate(rows):
        lines.append(f"| {i + 1} | {r['orders']} | {r['predicted']:.4f} | {r['observed']:.4f} |")
    return lines


def recommendation_table(folds):
    names = list(next(iter(folds.values()))["baselines"])
    lines = ["| recommendation baseline, HitRate@10 returning / new | " + " | ".join(folds) + " | mean ± sd returning | mean ± sd new |",
             "|---" * (len(folds) + 3) + "|"]
    for name in names:
        ret = [f["baselines"][name]["returning"]["hit_rate@10"] for f in folds.values()]
        new = [f["baselines"][name]["new"]["hit_rate@10"] for f in folds.values()]
        lines.append(f"| {name} | " + " | ".join(f"{a:.3f} / {b:.3f}" for a, b in zip(ret, new))
                     + f" | {np.mean(ret):.3f} ± {np.std(ret):.3f} | {np.mean(new):.3f} ± {np.std(new):.3f} |")
    users = " | ".join(f"{f['returning_users']} / {f['new_users']}" for f in folds.values())
    lines.append(f"| users (returning / new) | {users} | | |")
    return lines


def write_readme(path, lines):
    with open(path) as f:
        text = f.read()
    block = BEGIN + "\n" + "\n".join(lines) + "\n" + END
    if BEGIN in text and END in text:
        text = text[: text.index(BEGIN)] + block + text[text.index(END) + len(END):]
    else:
        text = text.rstrip("\n") + "\n\n## Rolling-origin backtest\n\n" + block + "\n"
    with open(path, "w") as f:
        f.write(text)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="data/training")
    ap.add_argument("--models", default="models")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--new-users", type=int, default=3000)
    ap.add_argument("--smoke", action="store_true", default=os.environ.get("SMOKE") == "1")
    args = ap.parse_args()
    with open(os.path.join(args.data, "manifest.json")) as f:
        manifest = json.load(f)
    features = manifest["tasks"]["delivery_risk"]["features"]
    d_folds, recipe, calibration = delivery.backtest(delivery.load(args.data), features, log, smoke=args.smoke)
    interactions = pd.read_csv(os.path.join(args.data, "interactions.csv"), dtype=str).fillna({"category": ""})
    r_folds = recommendation_folds(interactions, 300 if args.smoke else args.new_users, args.seed, args.smoke)
    backtest = {
        "folds": delivery.FOLDS, "warmup_folds": delivery.WARMUP_FOLDS, "window": "purchases in the month from each as-of",
        "delivery_risk": {"folds": d_folds, "summary": delivery.summary(d_folds), "served_recipe": recipe["name"],
                          "served_platt": list(calibration),
                          "targets": {"roc_auc_mean": 0.80, "pr_auc_mean": 0.25}},
        "recommendation": {"folds": r_folds, "summary": {
            name: {g: mean_std([f["baselines"][name][g]["hit_rate@10"] for f in r_folds.values()]) for g in ("returning", "new")}
            for name in AsOfBaselines.NAMES}},
    }
    recall = candidate_recall(args.data)
    if recall:
        backtest["recommendation"]["candidate_recall"] = recall
        log("candidate recall: " + ", ".join(f"{a} @100 {f['recall@100']:.3f} @500 {f['recall@500']:.3f}" for a, f in recall.items()))
    metrics_path = os.path.join(args.models, "metrics.json")
    metrics = {}
    if os.path.exists(metrics_path):
        with open(metrics_path) as f:
            metrics = json.load(f)
    metrics["backtest"] = backtest
    with open(metrics_path, "w") as f:
        json.dump(metrics, f, indent=2)
        f.write("\n")
    last = delivery.FOLDS[-1]
    lines = [
        f"Folds as-of {', '.join(delivery.FOLDS)}; each scores the purchases of the month from its as-of. Delivery: a fold trains "
        "on the orders whose label was known before its as-of (min(delivered, estimated) < as-of), features at purchase time "
        "(events strictly before it, the served features); the recipe of fold k is the one best (ROC-AUC + PR-AUC) on the "
        f"folds before it (and on the warm-up folds as-of {', '.join(delivery.WARMUP_FOLDS)}); its probability is Platt-calibrated on the "
        "previous fold. Promised-days rule: a score, no probability (no Brier).", "",
        *delivery_table(d_folds), "",
        *reliability_table(last, d_folds[last]["reliability"]), "",
        "Recommendation baselines per fold (full-catalogue ranking, purchases strictly before the as-of; the ranker's own "
        "per-fold rows are not exported yet, its figures are the validation/test windows above):", "",
        *recommendation_table(r_folds),
    ]
    if recall:
        lines += ["", "Candidate generation the ranker sees (`FeatureStore.candidatesFor`, as served: 100 per returning user; "
                  "500 for comparison), per fold: recall = share of a returning user's purchases in the month that are "
                  "among the candidates (mean over users), hit = share of users with at least one:", "", *candidate_table(recall)]
    write_readme(os.path.join(args.models, "README.md"), lines)
    log(f"backtest written to {metrics_path} and {os.path.join(args.models, 'README.md')}")


if __name__ == "__main__":
    main()
